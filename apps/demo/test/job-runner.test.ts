import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createJobRunner, stageFor } from '../src/server/job-runner';

describe('createJobRunner', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function runner() {
    const published: string[] = [];
    const errors: unknown[] = [];
    const jobs = createJobRunner({
      stepMs: 100,
      idPrefix: 'job-t',
      publish: {
        started: async (data) => published.push(`started ${data.jobId} ${data.label} ${data.steps}`),
        progress: async (data) => published.push(`progress ${data.jobId} ${data.percent} ${data.stage}`),
        done: async (data) => published.push(`done ${data.jobId}`),
      },
      onError: (error) => errors.push(error),
    });
    return { jobs, published, errors };
  }

  it('publishes started, one progress per step, then done, in order', async () => {
    const { jobs, published } = runner();
    const jobId = await jobs.start({ label: 'Report', by: 'ada', steps: 4 });
    expect(jobId).toBe('job-t-1');
    await vi.advanceTimersByTimeAsync(400);
    expect(published).toEqual([
      'started job-t-1 Report 4',
      'progress job-t-1 25 Fetching data',
      'progress job-t-1 50 Crunching numbers',
      'progress job-t-1 75 Rendering report',
      'done job-t-1',
    ]);
    expect(jobs.running).toBe(0);
  });

  it('gives each job its own ID and runs them side by side', async () => {
    const { jobs, published } = runner();
    await jobs.start({ label: 'A', by: 'ada', steps: 2 });
    await jobs.start({ label: 'B', by: 'grace', steps: 2 });
    expect(jobs.running).toBe(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(published.filter((line) => line.startsWith('done'))).toEqual(['done job-t-1', 'done job-t-2']);
  });

  it('keeps going when one publish fails, and reports the failure', async () => {
    const { jobs, published, errors } = runner();
    const failing = createJobRunner({
      stepMs: 100,
      publish: {
        started: async () => undefined,
        progress: async (data) => {
          if (data.percent === 50) throw new Error('store down');
          published.push(`progress ${data.percent}`);
        },
        done: async () => published.push('done'),
      },
      onError: (error) => errors.push(error),
    });
    await failing.start({ label: 'A', by: 'ada', steps: 4 });
    await vi.advanceTimersByTimeAsync(400);
    expect(published).toEqual(['progress 25', 'progress 75', 'done']);
    expect(errors).toHaveLength(1);
    jobs.close();
  });

  it('close stops running jobs and refuses new ones', async () => {
    const { jobs, published } = runner();
    await jobs.start({ label: 'A', by: 'ada', steps: 10 });
    await vi.advanceTimersByTimeAsync(100);
    jobs.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(published).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
    await expect(jobs.start({ label: 'B', by: 'ada', steps: 1 })).rejects.toThrow(/job runner is closed/);
  });

  it('names the stage by the share of the work done', () => {
    expect([0, 25, 26, 60, 61, 90, 91, 100].map(stageFor)).toEqual([
      'Fetching data',
      'Fetching data',
      'Crunching numbers',
      'Crunching numbers',
      'Rendering report',
      'Rendering report',
      'Uploading',
      'Uploading',
    ]);
  });
});
