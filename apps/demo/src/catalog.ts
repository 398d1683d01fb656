import {
  defineEvents,
  type EventData,
  type EventInput,
  type EventName,
  type EventUnion,
} from '@app/sse-protocol';
// A namespace import lets bundlers drop the parts of zod the page does not use (a named `z` keeps all of it).
import * as z from 'zod';
import { userIdSchema } from './users';

/** Milliseconds since the Unix epoch. */
const timestampSchema = z.number().int().nonnegative();

/** How loud a notification is. */
export const severitySchema = z.enum(['info', 'warning', 'error']);

/** How loud a notification is. */
export type Severity = z.infer<typeof severitySchema>;

/** A job ID as the server issues it (`job-<server start>-<n>`, unique across restarts). */
const jobIdSchema = z.string().regex(/^job-[a-z0-9-]{1,40}$/, 'expected a job ID like "job-m1x2y3-7"');

/**
 * The dashboard's event catalog, shared by the Express server that emits and the page that
 * listens: one module, imported by both, the way a team shares its contract. Every event the
 * stream carries is typed and validated by it at both ends.
 *
 * @example
 * ```ts
 * const sse = createEmitter({ events });                 // server
 * const client = createClient({ url: '/events', events }); // page
 * ```
 */
export const events = defineEvents({
  /** A user opened the dashboard (their first open tab). */
  'user:joined': z.object({ userId: userIdSchema, name: z.string().min(1).max(80), at: timestampSchema }),
  /** A user closed their last dashboard tab. */
  'user:left': z.object({ userId: userIdSchema, at: timestampSchema }),
  /** A message for everyone (`to` absent) or for one user. */
  notification: z.object({
    /** Unique across server restarts (`n-<server start>-<n>`), so a page never confuses two. */
    id: z.string().regex(/^n-[a-z0-9-]{1,40}$/, 'expected a notification ID like "n-m1x2y3-12"'),
    message: z.string().trim().min(1, 'a notification needs a message').max(280),
    severity: severitySchema,
    from: userIdSchema,
    to: userIdSchema.optional(),
    at: timestampSchema,
  }),
  /** One sample of the server's health, published every second. */
  metrics: z.object({
    at: timestampSchema,
    /** Share of one CPU core the server process used since the previous sample, in percent. */
    cpuPercent: z.number().nonnegative(),
    /** Resident set size of the server process, in MiB. */
    memoryMb: z.number().nonnegative(),
    /** 99th percentile of the event loop delay since the previous sample, in milliseconds. */
    eventLoopDelayMs: z.number().nonnegative(),
    /** Open event streams. */
    connections: z.number().int().nonnegative(),
    /** Events delivered to clients per second since the previous sample. */
    eventsPerSecond: z.number().nonnegative(),
  }),
  /** A long-running job was started from a dashboard. */
  'job:started': z.object({
    jobId: jobIdSchema,
    label: z.string().trim().min(1, 'a job needs a label').max(60),
    by: userIdSchema,
    steps: z.number().int().min(1).max(100),
    at: timestampSchema,
  }),
  /** A job moved on. */
  'job:progress': z.object({
    jobId: jobIdSchema,
    percent: z.number().int().min(0).max(100),
    stage: z.string().min(1).max(80),
  }),
  /**
   * Which server instance holds this tab's stream: sent to that stream alone as it opens, by a
   * scale-out demo (`--instances 2`), whose page shows it beside the connection badge.
   */
  'stream:opened': z.object({ instance: z.string().regex(/^[a-z0-9-]{1,20}$/, 'expected an instance name') }),
  /** A job finished. */
  'job:done': z.object({
    jobId: jobIdSchema,
    durationMs: z.number().int().nonnegative(),
    at: timestampSchema,
  }),
});

/** The dashboard's event catalog type. */
export type DashboardCatalog = typeof events;

/** The name of one dashboard event. */
export type DashboardEventName = EventName<DashboardCatalog>;

/** The data of dashboard event `N`. */
export type DashboardEventData<N extends DashboardEventName> = EventData<DashboardCatalog, N>;

/** The data a sender passes for dashboard event `N` (before the schema's transforms, like trimming). */
export type DashboardEventInput<N extends DashboardEventName> = EventInput<DashboardCatalog, N>;

/** Any dashboard event as `{ type, data }`, narrowed by `type`. */
export type DashboardEvent = EventUnion<DashboardCatalog>;

/** A notification as the stream carries it. */
export type NotificationData = DashboardEventData<'notification'>;

/** One metrics sample. */
export type MetricsSample = DashboardEventData<'metrics'>;
