import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

const require = createRequire(import.meta.url);
/** The directory of an installed package (its package.json), resolved from this package. */
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

const shared = {
  // Real sockets on a shared 2-core machine: generous bounds, never a performance assertion.
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        ...sourceConditions,
        test: {
          ...shared,
          name: 'react-19',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
          exclude: ['test/**/*.browser.test.{ts,tsx}'],
          setupFiles: ['test/support/setup.ts'],
          typecheck: { enabled: true, include: ['src/**/*.test-d.{ts,tsx}', 'test/**/*.test-d.{ts,tsx}'] },
        },
      },
      {
        ...sourceConditions,
        // The same suites against React 18 (installed as `react-18` / `react-dom-18`). The alias
        // covers every module Vite loads; the setup file redirects Node's own `require('react')`
        // inside `react-dom-18`, whose peer pnpm links to this package's React 19.
        resolve: {
          ...sourceConditions.resolve,
          alias: [
            { find: /^react$/, replacement: packageDir('react-18') },
            { find: /^react\/(.*)$/, replacement: `${packageDir('react-18')}/$1` },
            { find: /^react-dom$/, replacement: packageDir('react-dom-18') },
            { find: /^react-dom\/(.*)$/, replacement: `${packageDir('react-dom-18')}/$1` },
          ],
        },
        test: {
          ...shared,
          name: 'react-18',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
          exclude: ['test/**/*.browser.test.{ts,tsx}'],
          setupFiles: ['test/support/react-18.ts', 'test/support/setup.ts'],
          env: { EXPECTED_REACT_MAJOR: '18' },
          server: { deps: { inline: [/@testing-library\/react/, /@tanstack\/react-query/] } },
        },
      },
      {
        ...sourceConditions,
        test: {
          ...shared,
          name: 'react-chromium',
          environment: 'node',
          include: ['test/**/*.browser.test.{ts,tsx}'],
        },
      },
    ],
  },
});
