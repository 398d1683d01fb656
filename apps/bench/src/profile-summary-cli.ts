// Prints the hottest functions and lines of one or more .cpuprofile files:
//   node --import tsx src/profile-summary-cli.ts profiles/*.cpuprofile
import { formatProfileSummary, summariseCpuProfile } from './cpu-profile-summary';

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error('usage: profile-summary-cli <file.cpuprofile>...');
  process.exit(1);
}
for (const path of paths) {
  console.log(`== ${path}`);
  console.log(formatProfileSummary(summariseCpuProfile(path, 20)));
}
