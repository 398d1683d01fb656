import { defineEvents } from '@app/sse-protocol';
import * as z from 'zod';

/** The catalog the React suites use. */
export const events = defineEvents({
  'user:joined': z.object({ userId: z.string(), name: z.string() }),
  'user:left': z.object({ userId: z.string() }),
  notification: z.object({ message: z.string(), severity: z.enum(['info', 'warning', 'error']) }),
  counter: z.object({ value: z.number().int() }),
});
