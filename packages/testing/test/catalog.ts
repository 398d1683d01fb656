import { defineEvents } from '@app/sse-protocol';
import * as z from 'zod';

/** The catalog the suites use. */
export const events = defineEvents({
  'user:joined': z.object({ userId: z.string(), name: z.string() }),
  notification: z.object({ message: z.string(), severity: z.enum(['info', 'warning', 'error']) }),
});

/** Where the mocked stream lives. */
export const STREAM_URL = 'http://sse.test/events';
