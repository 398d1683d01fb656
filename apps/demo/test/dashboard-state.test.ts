import { describe, expect, it } from 'vitest';
import type { DashboardEvent } from '../src/catalog';
import {
  applyEvent,
  createDashboardState,
  fromSnapshot,
  HISTORY_LIMITS,
  toSnapshot,
} from '../src/dashboard-state';
import { snapshotSchema } from '../src/snapshot';

const joined = (userId: string, at = 1): DashboardEvent => ({
  type: 'user:joined',
  data: { userId, name: userId.toUpperCase(), at },
});
const note = (id: string, to?: string): DashboardEvent => ({
  type: 'notification',
  data: { id, message: `message ${id}`, severity: 'info', from: 'ada', ...(to ? { to } : {}), at: 1 },
});
const metrics = (at: number): DashboardEvent => ({
  type: 'metrics',
  data: { at, cpuPercent: 1, memoryMb: 50, eventLoopDelayMs: 1, connections: 1, eventsPerSecond: 0 },
});

describe('applyEvent', () => {
  it('tracks who is online', () => {
    const state = createDashboardState();
    expect(applyEvent(state, joined('ada'))).toBe(true);
    expect(applyEvent(state, joined('grace'))).toBe(true);
    expect(applyEvent(state, { type: 'user:left', data: { userId: 'ada', at: 2 } })).toBe(true);
    expect([...state.online.keys()]).toEqual(['grace']);
  });

  it('is idempotent: every event applied twice leaves the state as if applied once', () => {
    const sequence: DashboardEvent[] = [
      joined('ada'),
      note('n-1'),
      metrics(1000),
      { type: 'job:started', data: { jobId: 'job-1', label: 'Report', by: 'ada', steps: 4, at: 5 } },
      { type: 'job:progress', data: { jobId: 'job-1', percent: 50, stage: 'Crunching numbers' } },
      { type: 'job:done', data: { jobId: 'job-1', durationMs: 400, at: 9 } },
      { type: 'user:left', data: { userId: 'ada', at: 10 } },
    ];
    const once = createDashboardState();
    for (const event of sequence) applyEvent(once, event);
    const twice = createDashboardState();
    for (const event of sequence) {
      applyEvent(twice, event);
      expect(applyEvent(twice, event)).toBe(false);
    }
    expect(toSnapshot(twice, 'ada', null)).toEqual(toSnapshot(once, 'ada', null));
  });

  it('never moves a job backwards, and a finished job stays finished', () => {
    const state = createDashboardState();
    applyEvent(state, {
      type: 'job:started',
      data: { jobId: 'job-1', label: 'Report', by: 'ada', steps: 4, at: 5 },
    });
    applyEvent(state, {
      type: 'job:progress',
      data: { jobId: 'job-1', percent: 75, stage: 'Rendering report' },
    });
    expect(
      applyEvent(state, {
        type: 'job:progress',
        data: { jobId: 'job-1', percent: 25, stage: 'Fetching data' },
      }),
    ).toBe(false);
    applyEvent(state, { type: 'job:done', data: { jobId: 'job-1', durationMs: 400, at: 9 } });
    expect(state.jobs.get('job-1')).toMatchObject({
      percent: 100,
      stage: 'Done',
      finishedAt: 9,
      durationMs: 400,
    });
    expect(
      applyEvent(state, { type: 'job:progress', data: { jobId: 'job-1', percent: 80, stage: 'x' } }),
    ).toBe(false);
  });

  it('keeps bounded histories: newest notifications, last metrics, running jobs', () => {
    const state = createDashboardState();
    for (let index = 1; index <= HISTORY_LIMITS.notifications + 5; index += 1)
      applyEvent(state, note(`n-${index}`));
    expect(state.notifications).toHaveLength(HISTORY_LIMITS.notifications);
    expect(state.notifications[0]?.id).toBe(`n-${HISTORY_LIMITS.notifications + 5}`);
    for (let at = 1; at <= HISTORY_LIMITS.metrics + 3; at += 1) applyEvent(state, metrics(at));
    expect(state.metrics).toHaveLength(HISTORY_LIMITS.metrics);
    expect(state.metrics[0]?.at).toBe(4);
    for (let index = 1; index <= HISTORY_LIMITS.jobs + 2; index += 1) {
      const jobId = `job-${index}`;
      applyEvent(state, { type: 'job:started', data: { jobId, label: 'J', by: 'ada', steps: 1, at: index } });
      if (index > 2) applyEvent(state, { type: 'job:done', data: { jobId, durationMs: 1, at: index } });
    }
    // job-1 and job-2 never finished: they stay, the oldest finished ones went.
    expect(state.jobs.size).toBe(HISTORY_LIMITS.jobs);
    expect(state.jobs.has('job-1')).toBe(true);
    expect(state.jobs.has('job-2')).toBe(true);
    expect(state.jobs.has('job-3')).toBe(false);
  });
});

describe('snapshots', () => {
  it('show each user only broadcast notifications and their own', () => {
    const state = createDashboardState();
    applyEvent(state, note('n-1'));
    applyEvent(state, note('n-2', 'ada'));
    applyEvent(state, note('n-3', 'grace'));
    expect(toSnapshot(state, 'ada', '1-3').notifications.map((n) => n.id)).toEqual(['n-2', 'n-1']);
    expect(toSnapshot(state, 'grace', '1-3').notifications.map((n) => n.id)).toEqual(['n-3', 'n-1']);
  });

  it('round-trip through JSON and the snapshot schema', () => {
    const state = createDashboardState();
    applyEvent(state, joined('ada', 7));
    applyEvent(state, note('n-1'));
    applyEvent(state, metrics(1000));
    applyEvent(state, {
      type: 'job:started',
      data: { jobId: 'job-1', label: 'Report', by: 'ada', steps: 4, at: 5 },
    });
    applyEvent(state, {
      type: 'job:started',
      data: { jobId: 'job-2', label: 'Backup', by: 'ada', steps: 4, at: 6 },
    });
    const snapshot = toSnapshot(state, 'ada', '1-5');
    const parsed = snapshotSchema.parse(JSON.parse(JSON.stringify(snapshot)));
    expect(parsed.jobs.map((job) => job.jobId)).toEqual(['job-2', 'job-1']);
    const rebuilt = fromSnapshot(parsed);
    expect(toSnapshot(rebuilt, 'ada', '1-5')).toEqual(snapshot);
  });
});
