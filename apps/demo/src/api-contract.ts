// A namespace import lets bundlers drop the parts of zod the page does not use (a named `z` keeps all of it).
import * as z from 'zod';
import { events } from './catalog';

/** The demo server's routes, shared by the server and the page. */
export const ROUTES = {
  /** The event stream (`GET`). */
  events: '/events',
  /** The dashboard snapshot for one user (`GET`, `?user=`). */
  state: '/api/state',
  /** Publish a notification to everyone or to one user (`POST`). */
  notifications: '/api/notifications',
  /** Start a job (`POST`). */
  jobs: '/api/jobs',
  /** Take the server off the network for a few seconds, to watch the page resume (`POST`). */
  outage: '/api/outage',
} as const;

/** Query parameter that names the dashboard's user (the native `EventSource` cannot set headers). */
export const USER_QUERY = 'user';
/** Request header that names the dashboard's user (the fetch transport sends it). */
export const USER_HEADER = 'x-demo-user';

/**
 * Body of `POST /api/notifications`, cut from the catalog's `notification` schema so the endpoint
 * accepts exactly what the event can carry: `to` absent broadcasts to everyone.
 */
export const notifyRequestSchema = events.events.notification.pick({
  from: true,
  message: true,
  severity: true,
  to: true,
});

/** Body of `POST /api/notifications`. */
export type NotifyRequest = z.input<typeof notifyRequestSchema>;

/** Body of `POST /api/jobs`, cut from the catalog's `job:started` schema; `steps` defaults to 20. */
export const startJobRequestSchema = events.events['job:started']
  .pick({ label: true, by: true, steps: true })
  .partial({ steps: true });

/** Body of `POST /api/jobs`. */
export type StartJobRequest = z.input<typeof startJobRequestSchema>;

/** How many steps a job takes when the request does not say. */
export const DEFAULT_JOB_STEPS = 20;

/**
 * Body of `POST /api/outage`: how long the server stops listening (and cuts every open stream)
 * before it listens again, keeping its replay buffer, so pages resume where they were. In a
 * scale-out demo, `instance` names the instance to take down (the page sends the one holding its
 * stream, so it visibly moves to another); left out, the instance that answers goes down.
 */
export const outageRequestSchema = z.object({
  seconds: z.number().int().min(1).max(30),
  instance: z
    .string()
    .regex(/^[a-z0-9-]{1,20}$/, 'expected an instance name')
    .optional(),
});

/** Body of `POST /api/outage`. */
export type OutageRequest = z.input<typeof outageRequestSchema>;

/** Answer of `POST /api/outage`. */
export interface OutageResponse {
  /** When the server listens again, in epoch milliseconds. */
  until: number;
}

/** Answer of `POST /api/notifications`. */
export interface NotifyResponse {
  /** The notification's ID. */
  id: string;
  /** The ID of the event that carried it. */
  eventId: string;
}

/** Answer of `POST /api/jobs`. */
export interface StartJobResponse {
  /** The job's ID; its `job:progress` and `job:done` events carry it. */
  jobId: string;
}

/** Body of every error answer of the demo API (4xx and 5xx). */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum([
      'invalid-request',
      'invalid-json',
      'unknown-user',
      'payload-too-large',
      'unsupported-media-type',
      'rate-limited',
      'too-many-jobs',
      'forbidden',
      'outage-in-progress',
      'not-found',
      'unavailable',
      'internal',
    ]),
    /** One line that says what was wrong and what is expected. */
    message: z.string(),
    /** The failing paths of the request body, like `body.severity`. */
    paths: z.array(z.string()).optional(),
  }),
});

/** Body of every error answer of the demo API. */
export type ApiError = z.infer<typeof apiErrorSchema>;

/** Why the server refused a request. */
export type ApiErrorCode = ApiError['error']['code'];
