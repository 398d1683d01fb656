import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

/** What the Node run (this file) and the jsdom run (`vitest.jsdom.config.ts`) share. */
export const testingSuites = {
  include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

// Node here (the React example says jsdom in its first line); every suite again in jsdom with
// `vitest.jsdom.config.ts`: users run their tests in either.
export default defineProject({
  ...sourceConditions,
  test: {
    ...testingSuites,
    name: 'testing',
    environment: 'node',
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
  },
});
