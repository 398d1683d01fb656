// Prints where the time goes in .cpuprofile files (as written by `node --cpu-prof`):
//   node --import tsx src/profile-summary-cli.ts profiles/*.cpuprofile
// Each Node process writes one profile per thread; threads that were nearly always idle (such as
// a module loader's worker) are left out.
import { formatProfileSummary, summariseCpuProfile } from './cpu-profile-summary';

const paths = process.argv.slice(2).filter((a) => a !== '--');
if (paths.length === 0) {
  console.error('usage: profile-summary-cli <file.cpuprofile>...');
  process.exit(1);
}
const summaries = paths
  .map((path) => ({ path, summary: summariseCpuProfile(path, 20) }))
  .sort((a, b) => b.summary.busyTicks - a.summary.busyTicks);
const busiest = summaries[0]?.summary.busyTicks ?? 0;
for (const { path, summary } of summaries) {
  if (summary.busyTicks < busiest * 0.1) continue;
  console.log(`== ${path}`);
  console.log(formatProfileSummary(summary));
}
