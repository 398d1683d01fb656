// `pnpm --filter @app/bench bench:soak [-- --minutes=30 --clients=300 --rate=200 --seed=1]`: runs
// the soak (see run-soak.ts) and prints its samples and verdict; exits with 1 when it failed. The
// test suite runs a 20-second version of it (soak.test.ts).
import { mib, runSoak, SOAK_BOUNDS } from './run-soak';

function option(name: string, fallback: number): number {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return given === undefined ? fallback : Number(given.slice(name.length + 3));
}

const minutes = option('minutes', 30);
const options = {
  durationMs: minutes * 60_000,
  warmupMs: Math.min(60_000, minutes * 12_000),
  sampleEveryMs: minutes >= 5 ? 10_000 : 2000,
  clients: option('clients', 300),
  rate: option('rate', 200),
  seed: option('seed', 1),
  execArgv: process.execArgv.filter((flag) => !/^--(cpu-prof|heap-prof|inspect|expose-gc)/.test(flag)),
};
console.log(
  `Soak: ${minutes} min, ${options.clients} sessions at all times (each 2-10 s, 30 % cut mid-stream, 15 % slow readers), ${options.rate} events/s of ~250 B, warm-up ${options.warmupMs / 1000} s`,
);
const report = await runSoak(options);
console.log('\n| at | server heap after GC | RSS | open streams | loop delay p99 | published | slow drops |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const sample of report.samples) {
  console.log(
    `| ${(sample.atMs / 1000).toFixed(0)} s | ${mib(sample.heapUsed)} | ${mib(sample.rss)} | ${sample.clients} | ${sample.loopP99Ms.toFixed(1)} ms | ${sample.published} | ${sample.slowDrops} |`,
  );
}
console.log(
  `\n${report.sessions} sessions, ${report.deliveries} ticks checked, ${report.cuts} cuts, ${report.slowPauses} slow pauses, ${report.resumes} resumes.`,
);
console.log(
  `Heap after GC ${mib(report.heap.baseline)} -> ${mib(report.heap.final)} (bound: +max(${mib(SOAK_BOUNDS.heapGrowthBytes)}, ${SOAK_BOUNDS.heapGrowthShare * 100} %)); RSS ${mib(report.rss.baseline)} -> ${mib(report.rss.final)}; worst loop delay p99 ${report.worstLoopP99Ms.toFixed(1)} ms (bound ${SOAK_BOUNDS.loopP99Ms} ms).`,
);
if (report.failures.length > 0) {
  console.log(`\nFAILED:\n- ${report.failures.join('\n- ')}`);
  process.exit(1);
}
console.log('\nPassed: no gap, no repeat, no reset; memory and event loop within bounds.');
