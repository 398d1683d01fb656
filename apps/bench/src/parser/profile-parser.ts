// Runs one parser on one input shape in a loop, for CPU profiling:
//   node --cpu-prof --cpu-prof-dir=profiles --import tsx src/parser/profile-parser.ts ours data-only 3
// then summarise the written profile with src/profile-summary-cli.ts.
import { ours, theirs } from './contenders';
import { buildParserShapes } from './shapes';

const [which = 'ours', shapeName = 'data-only', seconds = '3'] = process.argv.slice(2);
const contender = which === 'theirs' ? theirs : ours;
const shape = buildParserShapes().find((s) => s.name === shapeName);
if (shape === undefined) {
  console.error(
    `unknown shape "${shapeName}"; one of: ${buildParserShapes()
      .map((s) => s.name)
      .join(', ')}`,
  );
  process.exit(1);
}
const until = performance.now() + Number(seconds) * 1000;
let ops = 0;
let events = 0;
while (performance.now() < until) {
  events += contender.countEvents(shape.chunks);
  ops++;
}
console.log(
  `${contender.name} ${shape.name}: ${ops} parses, ${(ops / Number(seconds)).toFixed(1)} ops/s (${events} events)`,
);
