import type { ParsedEvent } from '@app/sse-protocol';
import type { Emitter } from '@app/sse-server';
import {
  type DashboardCatalog,
  type DashboardEvent,
  type DashboardEventData,
  type DashboardEventInput,
  type DashboardEventName,
  events,
} from '../catalog';
import { applyEvent, createDashboardState, toSnapshot } from '../dashboard-state';
import type { DashboardSnapshot } from '../snapshot';
import { findUser } from '../users';
import { createJobRunner, type JobRequest } from './job-runner';
import { createMetricsSampler } from './metrics-sampler';
import { createLocalPresenceCounter, type PresenceCounter } from './presence-counter';
import { createPresenceTracker } from './presence-tracker';

/** Options of {@link createDashboardService}. */
export interface DashboardServiceOptions {
  /** The emitter the dashboard's events go out through. */
  sse: Emitter<DashboardCatalog>;
  /** Time between two metrics samples; `0` turns them off. @defaultValue 1000 */
  metricsIntervalMs?: number;
  /** Time one job step takes. @defaultValue 300 */
  jobStepMs?: number;
  /** How long a user whose last tab closed still shows as online. @defaultValue 3000 */
  presenceGraceMs?: number;
  /**
   * Where presence is counted across instances (a scale-out demo counts in Redis).
   * @defaultValue this process only
   */
  presence?: PresenceCounter;
  /**
   * What the metrics samples count: the streams and deliveries of every instance in this process.
   * @defaultValue this emitter's `stats()`
   */
  readStream?: () => { connections: number; delivered: number };
  /**
   * Part of the IDs of the notifications and jobs this service creates, unique among the instances
   * that share one history. @defaultValue `''`
   */
  instance?: string;
  /** Where failures without a caller go (a publish during shutdown, a store error). */
  onError(error: unknown): void;
}

/** A new notification, as the API accepts it. */
export interface NotificationRequest {
  from: string;
  message: string;
  severity: DashboardEventData<'notification'>['severity'];
  to?: string | undefined;
}

/** The dashboard's server side: its state, and every way to change it, each change published as an event. */
export interface DashboardService {
  /**
   * Publishes a notification to everyone, or to `to` only.
   * @returns the notification's ID and the ID of the event that carried it
   */
  notify(request: NotificationRequest): Promise<{ id: string; eventId: string }>;
  /** Starts a job; its progress follows as events. @returns the job's ID */
  startJob(request: JobRequest): Promise<string>;
  /** How many jobs are running now. */
  readonly runningJobs: number;
  /** Records an event stream opened by `userId` (presence). */
  streamOpened(userId: string): void;
  /** Records an event stream of `userId` that closed (presence). */
  streamClosed(userId: string): void;
  /** What `userId`'s dashboard shows now, with the last event ID it includes. */
  snapshot(userId: string): DashboardSnapshot;
  /**
   * Folds one event of the history into the state (every event, whichever instance published it,
   * in the history's order: see `observeHistory`). Events of other catalogs are passed over.
   */
  record(event: ParsedEvent): void;
  /** Stops the timers (metrics, jobs, presence); publishes nothing more. */
  close(): void;
}

/**
 * Creates the dashboard's server side. Every change goes through {@link DashboardService} and is
 * published as a catalog event; the history hands every stored event back through `record`, and
 * the same reducer the page runs folds it into the server's state, which `GET /api/state` serves.
 * The state and the stream therefore never disagree, also when several instances publish.
 *
 * @param options - the emitter, timings and the error callback
 * @example
 * ```ts
 * const dashboard = createDashboardService({ sse, onError: console.error });
 * await dashboard.notify({ from: 'ada', message: 'Deployed v2', severity: 'info' });
 * ```
 */
export function createDashboardService(options: DashboardServiceOptions): DashboardService {
  const { sse, onError } = options;
  const state = createDashboardState();
  let lastEventId: string | null = null;
  let notifications = 0;
  // IDs carry the service's start time (and instance): a page that outlives a restart never mixes
  // up two items, nor items of two instances.
  const instance = [Date.now().toString(36), options.instance].filter(Boolean).join('-');
  const counter = options.presence ?? createLocalPresenceCounter();
  let closed = false;

  /** Publishes one event; the state changes when the history hands it back (`record`). */
  async function publish<N extends DashboardEventName>(
    name: N,
    data: DashboardEventInput<N>,
    toUser?: string,
  ): Promise<string> {
    // The emitter validates `data` against the catalog before storing or sending anything.
    const { id } = toUser ? await sse.to(`user:${toUser}`).send(name, data) : await sse.broadcast(name, data);
    return id;
  }

  function publishQuietly<N extends DashboardEventName>(name: N, data: DashboardEventInput<N>): void {
    if (closed) return;
    publish(name, data).catch(onError);
  }

  const presence = createPresenceTracker({
    graceMs: options.presenceGraceMs,
    // Joined when the first instance gains the user, left when the last one loses them.
    onJoin: (userId) =>
      counter.add(userId).then((holders) => {
        if (holders !== 1) return;
        publishQuietly('user:joined', { userId, name: findUser(userId)?.name ?? userId, at: Date.now() });
      }, onError),
    onLeave: (userId) =>
      counter.remove(userId).then((holders) => {
        if (holders <= 0) publishQuietly('user:left', { userId, at: Date.now() });
      }, onError),
  });

  const jobs = createJobRunner({
    stepMs: options.jobStepMs,
    idPrefix: `job-${instance}`,
    publish: {
      started: (data) => publish('job:started', data),
      progress: (data) => publish('job:progress', data),
      done: (data) => publish('job:done', data),
    },
    onError,
  });

  const metrics = createMetricsSampler({
    intervalMs: options.metricsIntervalMs,
    readStream:
      options.readStream ??
      (() => {
        const stats = sse.stats();
        return { connections: stats.clients, delivered: stats.sent };
      }),
    onSample: (sample) => publishQuietly('metrics', sample),
  });
  // A first sample at once: the chart is not empty on first load, and the history has a last ID.
  if ((options.metricsIntervalMs ?? 1000) > 0) publishQuietly('metrics', metrics.sample());

  return {
    async notify(request) {
      notifications += 1;
      const id = `n-${instance}-${notifications}`;
      const { to, ...rest } = request;
      const eventId = await publish(
        'notification',
        { id, ...rest, ...(to ? { to } : {}), at: Date.now() },
        to,
      );
      return { id, eventId };
    },
    startJob: (request) => jobs.start(request),
    get runningJobs() {
      return jobs.running;
    },
    streamOpened: (userId) => presence.connected(userId),
    streamClosed: (userId) => presence.disconnected(userId),
    snapshot: (userId) => toSnapshot(state, userId, lastEventId),
    record({ id, event: name, data }) {
      lastEventId = id; // every event of the history moves the position, folded or not
      if (!events.has(name)) return;
      const parsed = events.safeParse(name, parseJson(data));
      if (parsed.success) applyEvent(state, { type: name, data: parsed.data } as DashboardEvent);
      else onError(new Error(`the history holds an invalid ${name} event (${id})`));
    },
    close() {
      closed = true;
      metrics.close();
      jobs.close();
      presence.close();
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
