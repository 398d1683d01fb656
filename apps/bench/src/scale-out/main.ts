// `pnpm --filter @app/bench bench:scale-out [-- --connections=N --events=N --rounds=N]`: runs the
// scale-out benchmark and prints its table, ratios to the one in-memory instance of the same run.
import { runScaleOutBench } from './run-scale-out';

function option(name: string, fallback: number): number {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return given === undefined ? fallback : Number(given.slice(name.length + 3));
}

const options = {
  connections: option('connections', 500),
  events: option('events', 200),
  rounds: option('rounds', 3),
  burst: option('burst', 10),
  // The load process runs TypeScript like this one, without profiler or debugger flags.
  execArgv: process.execArgv.filter((flag) => !/^--(cpu-prof|heap-prof|inspect)/.test(flag)),
};
const results = await runScaleOutBench(options);
const base = results[0];
if (base === undefined) throw new Error('no result');
const ratio = (value: number, reference: number) => `${(value / reference).toFixed(2)}x`;
const spread = (values: number[]) => `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}`;
console.log(
  `${options.connections} connections; deliveries/s: ${options.events} events of ~1 KB in bursts of ${options.burst}; latency: 100 events paced 10 ms apart; ${options.rounds} rounds, median (range); ratios to the in-memory instance`,
);
console.log(
  "| configuration | deliveries/s | ratio | p50 ms | p99 ms | p99 ratio | resume of 1,000 events ms | ratio | instances' CPU / delivery | ratio | redis-server CPU |",
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of results) {
  console.log(
    `| ${row.label} | ${row.deliveriesPerSecond.toFixed(0)} (${spread(row.all.map((f) => f.deliveriesPerSecond))}) | ${ratio(row.deliveriesPerSecond, base.deliveriesPerSecond)} | ${row.p50Ms.toFixed(1)} | ${row.p99Ms.toFixed(1)} (${spread(row.all.map((f) => f.p99Ms))}) | ${ratio(row.p99Ms, base.p99Ms)} | ${row.resume1000Ms.toFixed(1)} | ${ratio(row.resume1000Ms, base.resume1000Ms)} | ${row.cpuPerDeliveryUs.toFixed(2)} µs | ${ratio(row.cpuPerDeliveryUs, base.cpuPerDeliveryUs)} | ${row.label.includes('Redis') ? `${(row.redisCpuShare * 100).toFixed(0)} % of a core` : '-'} |`,
  );
}
