import type { DashboardEventData } from '../catalog';

/** What the job runner publishes; each call resolves when the event is stored and sent. */
export interface JobEvents {
  started(data: DashboardEventData<'job:started'>): Promise<unknown>;
  progress(data: DashboardEventData<'job:progress'>): Promise<unknown>;
  done(data: DashboardEventData<'job:done'>): Promise<unknown>;
}

/** Options of {@link createJobRunner}. */
export interface JobRunnerOptions {
  /**
   * Time one step of a job takes, in milliseconds.
   * @defaultValue 300
   */
  stepMs?: number;
  /** Where the job's events go. */
  publish: JobEvents;
  /**
   * What job IDs start with, so IDs from another run of the server never collide with these.
   * @defaultValue `job-<current time in base 36>`
   */
  idPrefix?: string;
  /** Called when publishing an event failed (the job goes on). */
  onError(error: unknown): void;
}

/** What a job is asked to do. */
export interface JobRequest {
  label: string;
  by: string;
  steps: number;
}

/** Runs the demo's long-running jobs. */
export interface JobRunner {
  /**
   * Starts a job and publishes its `job:started` event.
   * @returns the job's ID, once `job:started` is published
   */
  start(request: JobRequest): Promise<string>;
  /** How many jobs are running. */
  readonly running: number;
  /** Stops every running job (they publish nothing more). */
  close(): void;
}

/** The stage a job reports at each share of its work. */
const STAGES = [
  { until: 25, name: 'Fetching data' },
  { until: 60, name: 'Crunching numbers' },
  { until: 90, name: 'Rendering report' },
  { until: 100, name: 'Uploading' },
] as const;

/**
 * The stage name for a progress percentage.
 *
 * @param percent - 0 to 100
 */
export function stageFor(percent: number): string {
  return (STAGES.find((stage) => percent <= stage.until) ?? STAGES[3]).name;
}

/**
 * Creates the job runner: each job takes `steps` steps of `stepMs`, publishes `job:progress`
 * after each one and `job:done` at the end. Events of one job are published one after the other
 * (each awaited), so they get increasing IDs and arrive in order.
 *
 * @param options - step duration, publisher and error callback
 * @example
 * ```ts
 * const jobs = createJobRunner({ publish, onError: console.error });
 * const jobId = await jobs.start({ label: 'Nightly report', by: 'ada', steps: 20 });
 * ```
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const stepMs = options.stepMs ?? 300;
  const idPrefix = options.idPrefix ?? `job-${Date.now().toString(36)}`;
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let sequence = 0;
  let closed = false;

  async function step(jobId: string, request: JobRequest, done: number, startedAt: number): Promise<void> {
    timers.delete(jobId);
    if (closed) return;
    const percent = Math.round((done / request.steps) * 100);
    try {
      if (done < request.steps) {
        await options.publish.progress({ jobId, percent, stage: stageFor(percent) });
      } else {
        const at = Date.now();
        await options.publish.done({ jobId, durationMs: at - startedAt, at });
        return;
      }
    } catch (error) {
      options.onError(error);
    }
    schedule(jobId, request, done + 1, startedAt);
  }

  function schedule(jobId: string, request: JobRequest, done: number, startedAt: number): void {
    if (closed) return;
    timers.set(
      jobId,
      setTimeout(() => void step(jobId, request, done, startedAt), stepMs),
    );
  }

  return {
    async start(request) {
      if (closed) throw new Error('@app/demo: the job runner is closed');
      sequence += 1;
      const jobId = `${idPrefix}-${sequence}`;
      const at = Date.now();
      await options.publish.started({
        jobId,
        label: request.label,
        by: request.by,
        steps: request.steps,
        at,
      });
      schedule(jobId, request, 1, at);
      return jobId;
    },
    get running() {
      return timers.size;
    },
    close() {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
