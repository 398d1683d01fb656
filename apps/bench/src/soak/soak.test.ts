import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { runSoak } from './run-soak';

// The soak's short version: 30 s of churn, cuts, slow readers and resumes against an emitter
// publishing 200 events/s. The long one is `pnpm --filter @app/bench bench:soak` (30 minutes).
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

it('keeps every promise under churn: no gap, no repeat, no reset, bounded heap and event loop delay', async () => {
  const report = await runSoak({
    durationMs: 30_000,
    warmupMs: 12_000,
    sampleEveryMs: 2000,
    clients: 80,
    rate: 200,
    seed: 20261204,
    execArgv: ['--conditions=@app/source', '--import', tsx],
  });
  expect(report.failures).toEqual([]);
  // It did churn: sessions came and went, were cut and resumed, and read every tick.
  expect(report.sessions).toBeGreaterThan(80);
  expect(report.cuts).toBeGreaterThan(0);
  expect(report.slowPauses).toBeGreaterThan(0);
  expect(report.resumes).toBeGreaterThanOrEqual(report.cuts);
  expect(report.deliveries).toBeGreaterThan(80 * 200 * 10);
}, 90_000);
