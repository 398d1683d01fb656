import type { DashboardEvent, MetricsSample, NotificationData } from './catalog';
import type { DashboardSnapshot, JobView, OnlineUser } from './snapshot';

/** How many notifications, jobs and metrics samples a dashboard keeps. */
export const HISTORY_LIMITS = { notifications: 100, jobs: 8, metrics: 60 } as const;

/**
 * The dashboard's model, shared by the server (its source of truth, served by `GET /api/state`)
 * and the page (its view, rebuilt from a snapshot and kept current by events).
 */
export interface DashboardState {
  /** Online users by ID, in join order. */
  readonly online: Map<string, OnlineUser>;
  /** Newest first. */
  notifications: NotificationData[];
  /** Jobs by ID, in start order. */
  readonly jobs: Map<string, JobView>;
  /** Oldest first. */
  metrics: MetricsSample[];
}

/**
 * Creates an empty dashboard model.
 *
 * @example
 * ```ts
 * const state = createDashboardState();
 * applyEvent(state, { type: 'user:joined', data: { userId: 'ada', name: 'Ada Lovelace', at: Date.now() } });
 * ```
 */
export function createDashboardState(): DashboardState {
  return { online: new Map(), notifications: [], jobs: new Map(), metrics: [] };
}

/**
 * Folds one event into the model. Every case is idempotent and keyed (by notification ID, job ID,
 * user ID, sample time), so an event applied twice, for example once through a snapshot and once
 * through the stream, leaves the model as if it had been applied once.
 *
 * @param state - the model, changed in place
 * @param event - a validated catalog event
 * @returns whether the model changed
 */
export function applyEvent(state: DashboardState, event: DashboardEvent): boolean {
  switch (event.type) {
    case 'stream:opened':
      return false; // about one tab's connection, not the dashboard
    case 'user:joined': {
      const { userId, name, at } = event.data;
      if (state.online.has(userId)) return false;
      state.online.set(userId, { userId, name, since: at });
      return true;
    }
    case 'user:left':
      return state.online.delete(event.data.userId);
    case 'notification': {
      if (state.notifications.some((known) => known.id === event.data.id)) return false;
      state.notifications = [event.data, ...state.notifications].slice(0, HISTORY_LIMITS.notifications);
      return true;
    }
    case 'metrics': {
      const last = state.metrics.at(-1);
      if (last && last.at >= event.data.at) return false;
      state.metrics = [...state.metrics, event.data].slice(-HISTORY_LIMITS.metrics);
      return true;
    }
    case 'job:started': {
      const { jobId, label, by, steps, at } = event.data;
      if (state.jobs.has(jobId)) return false;
      state.jobs.set(jobId, {
        jobId,
        label,
        by,
        steps,
        percent: 0,
        stage: 'Queued',
        startedAt: at,
        finishedAt: null,
        durationMs: null,
      });
      trimJobs(state.jobs);
      return true;
    }
    case 'job:progress': {
      const job = state.jobs.get(event.data.jobId);
      // Progress only moves forward: a duplicate of an older step changes nothing.
      if (!job || job.finishedAt !== null || event.data.percent < job.percent) return false;
      if (event.data.percent === job.percent && event.data.stage === job.stage) return false;
      state.jobs.set(job.jobId, { ...job, percent: event.data.percent, stage: event.data.stage });
      return true;
    }
    case 'job:done': {
      const job = state.jobs.get(event.data.jobId);
      if (!job || job.finishedAt !== null) return false;
      state.jobs.set(job.jobId, {
        ...job,
        percent: 100,
        stage: 'Done',
        finishedAt: event.data.at,
        durationMs: event.data.durationMs,
      });
      return true;
    }
  }
}

/** Drops the oldest finished jobs past the history limit; running jobs always stay. */
function trimJobs(jobs: Map<string, JobView>): void {
  for (const job of jobs.values()) {
    if (jobs.size <= HISTORY_LIMITS.jobs) return;
    if (job.finishedAt !== null) jobs.delete(job.jobId);
  }
}

/**
 * Whether a notification is for `userId`: broadcast ones are for everyone, the others only for
 * the user they are addressed to.
 *
 * @param notification - the notification
 * @param userId - the viewer
 */
export function isVisibleTo(notification: NotificationData, userId: string): boolean {
  return notification.to === undefined || notification.to === userId;
}

/**
 * The part of the model one user may see, as sent by `GET /api/state`.
 *
 * @param state - the server's model
 * @param userId - the viewer
 * @param lastEventId - the last event ID already folded into `state`
 */
export function toSnapshot(
  state: DashboardState,
  userId: string,
  lastEventId: string | null,
): DashboardSnapshot {
  return {
    lastEventId,
    online: [...state.online.values()],
    notifications: state.notifications.filter((notification) => isVisibleTo(notification, userId)),
    jobs: [...state.jobs.values()].reverse(),
    metrics: [...state.metrics],
  };
}

/**
 * Rebuilds a model from a snapshot (the page does this on load and after an `sse:reset`).
 *
 * @param snapshot - a validated snapshot
 */
export function fromSnapshot(snapshot: DashboardSnapshot): DashboardState {
  return {
    online: new Map(snapshot.online.map((user) => [user.userId, user])),
    notifications: [...snapshot.notifications],
    jobs: new Map([...snapshot.jobs].reverse().map((job) => [job.jobId, job])),
    metrics: [...snapshot.metrics],
  };
}
