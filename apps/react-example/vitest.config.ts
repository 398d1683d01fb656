import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'react-example',
    include: ['test/**/*.test.{ts,tsx}'],
    // The browser test builds the app with Vite and drives Debian's Chromium.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
