import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

const shared = {
  include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

// The same suites in Node and in jsdom: users run their component tests in either.
export default defineConfig({
  test: {
    projects: [
      {
        ...sourceConditions,
        test: {
          ...shared,
          name: 'testing-node',
          environment: 'node',
          exclude: ['test/**/*.test.tsx'],
          typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
        },
      },
      { ...sourceConditions, test: { ...shared, name: 'testing-jsdom', environment: 'jsdom' } },
    ],
  },
});
