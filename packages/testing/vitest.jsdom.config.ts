import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';
import { testingSuites } from './vitest.config';

/** Every suite in jsdom, where users' component tests run. */
export default defineProject({
  ...sourceConditions,
  test: { ...testingSuites, name: 'testing-jsdom', environment: 'jsdom' },
});
