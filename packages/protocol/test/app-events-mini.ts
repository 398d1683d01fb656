import * as z from 'zod/mini';
import { defineEvents } from '../src/index';

/** The catalog of `app-events.ts`, written with `zod/mini` (the tree-shakable build for browsers). */
export const appEventsMini = defineEvents({
  'user:joined': z.object({ userId: z.string(), name: z.string() }),
  'user:left': z.object({ userId: z.string() }),
  notification: z.object({ message: z.string(), severity: z.enum(['info', 'warning', 'error']) }),
  'cart:updated': z.object({
    items: z.array(z.object({ name: z.string(), qty: z.int().check(z.positive()) })),
    coupon: z.optional(z.string()),
  }),
});
