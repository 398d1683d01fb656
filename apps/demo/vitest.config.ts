import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'demo',
    include: ['test/**/*.test.ts'],
    // The browser suites bundle the page once, start real servers and drive a real Chromium.
    globalSetup: ['test/build-page.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
