import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { runSoak } from './run-soak';

// The soak's short version: 30 s of churn, cuts, slow readers and resumes against an emitter
// publishing 200 events/s. The long one is `pnpm --filter @app/bench bench:soak` (30 minutes).
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

// The event loop delay is measured and reported, not judged here: it is wall-clock time, which the
// other suites running beside this one move; the benchmark (`bench:soak`) judges it.
it('keeps every promise under churn: no gap, no repeat, no reset, bounded heap', async () => {
  const report = await runSoak({
    durationMs: 30_000,
    warmupMs: 12_000,
    sampleEveryMs: 2000,
    clients: 80,
    rate: 200,
    seed: 20261204,
    execArgv: ['--conditions=@app/source', '--import', tsx],
    judgeLoopDelay: false,
  });
  expect(report.failures).toEqual([]);
  expect(report.worstLoopP99Ms).toBeGreaterThan(0);
  // It did churn: sessions came and went, were cut and resumed, and read every tick.
  expect(report.sessions).toBeGreaterThan(80);
  // Cut connections were resumed (a resume is what counts a cut) and, with `failures` empty, lost
  // nothing: each session checks that every tick follows the one before it across its resumes.
  expect(report.cuts).toBeGreaterThan(0);
  expect(report.slowPauses).toBeGreaterThan(0);
  expect(report.deliveries).toBeGreaterThan(80 * 200 * 10);
}, 90_000);
