// Jest runs the published builds as a Jest user's project would, without a transform, each suite in
// the environment its docblock names (Node by default; jsdom through jest-fixed-jsdom, the
// environment msw 2 documents for Jest). The suites are ES modules (Jest's ESM mode, node
// --experimental-vm-modules): msw 2.12+ depends on ESM-only packages that CommonJS Jest cannot
// load before Node 24.9.
/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/test/jest/**/*.jest.mjs'],
  testEnvironment: 'node',
  transform: {},
  testTimeout: 30_000,
};
