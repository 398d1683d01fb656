import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared';
export default defineProject({ ...sourceConditions, test: { name: 'demo-unit', include: ['test/{cli-options,presence-tracker,job-runner,dashboard-state,catalog}.test.ts'] } });
