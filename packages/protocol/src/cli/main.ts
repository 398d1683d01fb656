import { runCli } from './sse-catalog';

// The `sse-catalog` executable: runs the CLI on the process arguments and exits with its status.
const result = await runCli(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.status;
