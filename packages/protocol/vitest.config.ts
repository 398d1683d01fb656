import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'protocol',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Projects do not inherit the root's --typecheck flag: enable type tests here.
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
    // Property tests and real sockets share 2 cores with the other suites in CI: generous bounds,
    // never a performance assertion.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
