import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'redis',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
    // Real redis-server processes and real sockets on a shared 2-core machine: generous bounds,
    // never a performance assertion. Each suite starts its own redis-server on a free port.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
