import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

/** What the React 19 run (this file) and the React 18 run (`vitest.react-18.config.ts`) share. */
export const reactSuites = {
  environment: 'jsdom' as const,
  include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
  // Real sockets on a shared 2-core machine: generous bounds, never a performance assertion.
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineProject({
  ...sourceConditions,
  test: {
    ...reactSuites,
    name: 'react',
    setupFiles: ['test/support/setup.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.{ts,tsx}', 'test/**/*.test-d.{ts,tsx}'] },
  },
});
