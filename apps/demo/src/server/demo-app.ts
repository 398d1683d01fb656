import { fileURLToPath } from 'node:url';
import type { Emitter } from '@app/sse-server';
import { httpError } from '@app/sse-server';
import express, { type Request, type Response } from 'express';
import {
  DEFAULT_JOB_STEPS,
  type NotifyResponse,
  notifyRequestSchema,
  type OutageResponse,
  outageRequestSchema,
  ROUTES,
  type StartJobResponse,
  startJobRequestSchema,
  USER_HEADER,
  USER_QUERY,
} from '../api-contract';
import type { DashboardCatalog } from '../catalog';
import { DEMO_USERS, findUser } from '../users';
import { apiErrorHandler, sendApiError, sendValidationError } from './api-errors';
import type { DashboardService } from './dashboard-service';
import { createRateLimiter } from './rate-limiter';
import { securityHeaders } from './security-headers';

/** Where the page's files are: `public/` next to `src/`. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

const USER_LIST = DEMO_USERS.map((user) => user.id).join(', ');

/** The user a request names, by header (fetch transport) or query parameter (native EventSource). */
function requestedUser(req: Request): string | undefined {
  const header = req.get(USER_HEADER);
  if (header) return header;
  const query = req.query[USER_QUERY];
  return typeof query === 'string' && query !== '' ? query : undefined;
}

/** Answers 400 for a body field naming a user the demo does not have. */
function refuseUnknownUser(res: Response, field: string, userId: string): void {
  sendApiError(
    res,
    400,
    'unknown-user',
    `body.${field}: unknown user ${JSON.stringify(userId)}: use one of ${USER_LIST}`,
    [`body.${field}`],
  );
}

/** Options of {@link createDemoApp}. */
/**
 * The API's limits: what a careful app bounds when anyone can call it. A job publishes an event
 * per step to every tab, so job starts are limited per user and in total (which also bounds the
 * state `/api/state` returns: running jobs are always part of it); notifications are limited per
 * user; an outage cannot be started again while one runs or cools down.
 */
export const API_LIMITS = {
  /** Job starts per user per window. */
  jobStartsPerUser: 3,
  /** Notifications per user per window. */
  notificationsPerUser: 10,
  /** The window of the per-user limits. */
  windowMs: 10_000,
  /** Jobs running at once, all users together. */
  runningJobs: 6,
  /** How long after an outage ends before another may start. */
  outageCooldownMs: 10_000,
} as const;

/**
 * Whether the request came over the loopback interface (the outage route only serves those).
 *
 * @param req - the request (its socket's remote address is read)
 */
export function fromLoopback(req: { socket: { remoteAddress?: string | undefined } }): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Answers 429 with `Retry-After` (whole seconds, at least 1). */
function tooMany(
  res: Response,
  code: 'rate-limited' | 'too-many-jobs',
  message: string,
  retryMs: number,
): void {
  res.set('Retry-After', String(Math.max(1, Math.ceil(retryMs / 1000))));
  sendApiError(res, 429, code, message);
}

export interface DemoAppOptions {
  sse: Emitter<DashboardCatalog>;
  dashboard: DashboardService;
  /**
   * Takes the server (or, in a scale-out demo, the named instance) off the network for `ms`
   * (`POST /api/outage`); left out, the route is not mounted.
   */
  simulateOutage?: (ms: number, instance: string | undefined) => void;
  /**
   * This instance's name in a scale-out demo: each stream is told it (`stream:opened`) as it
   * opens. Left out, nothing is sent.
   */
  instance?: string;
  /** Where unexpected errors go. */
  onError(error: unknown): void;
}

/**
 * Creates the demo's Express app: the page's static files, the event stream at `/events` (one
 * stream per tab, admitted as the tab's user so private notifications reach that user only),
 * and the JSON API that publishes events. Every request body is validated by the catalog's own
 * schemas; a bad one gets a 400 that says which field is wrong and why.
 *
 * @param options - the emitter, the dashboard service and the error callback
 * @example
 * ```ts
 * const app = createDemoApp({ sse, dashboard, onError: console.error });
 * http.createServer(app).listen(3000);
 * ```
 */
export function createDemoApp(options: DemoAppOptions): express.Express {
  const { sse, dashboard, instance } = options;
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());

  app.get(
    ROUTES.events,
    sse.handler<Request>({
      // The demo trusts the user a tab names; a real app reads it from its session instead.
      authorize: (req) => {
        const userId = requestedUser(req);
        if (userId === undefined) return false;
        if (!findUser(userId))
          throw httpError(403, `unknown user ${JSON.stringify(userId)}: use one of ${USER_LIST}`);
        return { userId };
      },
      // Presence counts accepted streams only: a stream refused over a limit or while the server
      // shuts down never reaches onConnect, and each one that did reaches onDisconnect once.
      onConnect: ({ userId, clientId }) => {
        if (userId !== undefined) dashboard.streamOpened(userId);
        if (instance !== undefined) {
          sse.to(`client:${clientId}`).send('stream:opened', { instance }).catch(options.onError);
        }
      },
      onDisconnect: ({ userId }) => {
        if (userId !== undefined) dashboard.streamClosed(userId);
      },
    }),
  );

  const api = express.Router();
  api.use(express.json({ limit: '16kb' }));
  const jobStarts = createRateLimiter(API_LIMITS.jobStartsPerUser, API_LIMITS.windowMs);
  const notifications = createRateLimiter(API_LIMITS.notificationsPerUser, API_LIMITS.windowMs);

  api.get(ROUTES.state, (req, res) => {
    const userId = requestedUser(req);
    const user = findUser(userId);
    if (!user) {
      return sendApiError(
        res,
        400,
        'unknown-user',
        `pass ?${USER_QUERY}= with one of ${USER_LIST}, got ${JSON.stringify(userId ?? null)}`,
      );
    }
    res.set('Cache-Control', 'no-store').json(dashboard.snapshot(user.id));
  });

  // express.json() leaves the body undefined when the request is not JSON: say so plainly.
  api.post([ROUTES.notifications, ROUTES.jobs, ROUTES.outage], (req, res, next) => {
    if (req.body !== undefined) return next();
    sendApiError(
      res,
      400,
      'invalid-request',
      'the body must be a JSON object sent with Content-Type: application/json',
    );
  });

  api.post(ROUTES.notifications, async (req, res) => {
    const parsed = notifyRequestSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, 'notification', parsed.error);
    const { from, to } = parsed.data;
    if (!findUser(from)) return refuseUnknownUser(res, 'from', from);
    if (to !== undefined && !findUser(to)) return refuseUnknownUser(res, 'to', to);
    const wait = notifications.take(from);
    if (wait > 0) {
      const limit = `${API_LIMITS.notificationsPerUser} per ${API_LIMITS.windowMs / 1000} s`;
      return tooMany(res, 'rate-limited', `${from} sent ${limit} notifications already`, wait);
    }
    const result: NotifyResponse = await dashboard.notify(parsed.data);
    res.status(201).json(result);
  });

  api.post(ROUTES.jobs, async (req, res) => {
    const parsed = startJobRequestSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, 'job', parsed.error);
    const { label, by, steps = DEFAULT_JOB_STEPS } = parsed.data;
    if (!findUser(by)) return refuseUnknownUser(res, 'by', by);
    if (dashboard.runningJobs >= API_LIMITS.runningJobs) {
      const message = `${API_LIMITS.runningJobs} jobs are running already; start one when one finished`;
      return tooMany(res, 'too-many-jobs', message, 5000);
    }
    const wait = jobStarts.take(by);
    if (wait > 0) {
      const limit = `${API_LIMITS.jobStartsPerUser} per ${API_LIMITS.windowMs / 1000} s`;
      return tooMany(res, 'rate-limited', `${by} started ${limit} jobs already`, wait);
    }
    const result: StartJobResponse = { jobId: await dashboard.startJob({ label, by, steps }) };
    res.status(202).json(result);
  });

  const { simulateOutage } = options;
  if (simulateOutage) {
    // When the outage (plus its cooldown) ends: before that, another one is refused.
    let outageOverAt = 0;
    api.post(ROUTES.outage, (req, res) => {
      // Taking the server offline is for the person at this machine, never for the network.
      if (!fromLoopback(req)) {
        return sendApiError(res, 403, 'forbidden', 'an outage can only be started from this machine');
      }
      const parsed = outageRequestSchema.safeParse(req.body);
      if (!parsed.success) return sendValidationError(res, 'outage', parsed.error);
      const now = Date.now();
      if (now < outageOverAt) {
        res.set('Retry-After', String(Math.ceil((outageOverAt - now) / 1000)));
        return sendApiError(
          res,
          409,
          'outage-in-progress',
          'an outage is running or just ended; try again later',
        );
      }
      const ms = parsed.data.seconds * 1000;
      outageOverAt = now + ms + API_LIMITS.outageCooldownMs;
      const result: OutageResponse = { until: now + ms };
      // Answer first: the outage cuts every connection, this one included.
      res.once('finish', () => simulateOutage(ms, parsed.data.instance));
      res.status(202).json(result);
    });
  }

  api.use('/api', (req, res) =>
    sendApiError(res, 404, 'not-found', `no route ${req.method} ${req.originalUrl}`),
  );
  api.use(apiErrorHandler(options.onError));
  app.use(api);

  app.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: 0 }));
  return app;
}
