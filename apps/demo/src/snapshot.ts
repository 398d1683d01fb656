// A namespace import lets bundlers drop the parts of zod the page does not use (a named `z` keeps all of it).
import * as z from 'zod';
import { events } from './catalog';
import { userIdSchema } from './users';

/** A user with at least one open dashboard tab. */
export const onlineUserSchema = z.object({
  userId: userIdSchema,
  name: z.string(),
  since: z.number().int().nonnegative(),
});

/** A user with at least one open dashboard tab. */
export type OnlineUser = z.infer<typeof onlineUserSchema>;

/** A job as the dashboard shows it: its start, its latest progress and, once done, how long it took. */
export const jobViewSchema = z.object({
  jobId: z.string(),
  label: z.string(),
  by: userIdSchema,
  steps: z.number().int().positive(),
  percent: z.number().int().min(0).max(100),
  stage: z.string(),
  startedAt: z.number().int().nonnegative(),
  finishedAt: z.number().int().nonnegative().nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
});

/** A job as the dashboard shows it. */
export type JobView = z.infer<typeof jobViewSchema>;

/**
 * What `GET /api/state` returns: everything one user's dashboard shows, and the ID of the last
 * event already folded into it. A page that connects its stream from that ID misses nothing and
 * sees nothing twice that matters (the reducer is idempotent anyway).
 */
export const snapshotSchema = z.object({
  /** The last event ID the snapshot includes, or `null` when nothing was published yet. */
  lastEventId: z.string().nullable(),
  online: z.array(onlineUserSchema),
  /** Newest first; broadcast notifications and those addressed to this user only. */
  notifications: z.array(events.events.notification),
  /** Newest first. */
  jobs: z.array(jobViewSchema),
  /** Oldest first, one a second. */
  metrics: z.array(events.events.metrics),
});

/** What `GET /api/state` returns. */
export type DashboardSnapshot = z.infer<typeof snapshotSchema>;
