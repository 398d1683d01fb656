import { z } from 'zod';
import { defineEvents } from '../src/index';

/** The catalog of the design document, plus a nested one for paths like `data.items[0].name`. */
export const appEvents = defineEvents({
  'user:joined': z.object({ userId: z.string(), name: z.string() }),
  'user:left': z.object({ userId: z.string() }),
  notification: z.object({ message: z.string(), severity: z.enum(['info', 'warning', 'error']) }),
  'cart:updated': z.object({
    items: z.array(z.object({ name: z.string(), qty: z.number().int().positive() })),
    coupon: z.string().optional(),
  }),
});
