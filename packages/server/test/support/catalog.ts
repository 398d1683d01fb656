import { defineEvents } from '@app/sse-protocol';
import { z } from 'zod';

/** The catalog the integration tests publish. */
export const events = defineEvents({
  'user:joined': z.object({ userId: z.string(), name: z.string() }),
  notification: z.object({
    message: z.string(),
    severity: z.enum(['info', 'warning', 'error']).default('info'),
  }),
  tick: z.object({ n: z.number().int() }),
  blob: z.object({ text: z.string() }),
  report: z.object({ body: z.unknown() }),
});

/** The test catalog's type. */
export type TestEvents = typeof events;
