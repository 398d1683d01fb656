// Regenerates docs/demo-dashboard.png, the picture the READMEs show: runs the browser test that
// screenshots a busy dashboard, letting the chart fill up first, and copies the result to docs/.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const result = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', 'test/dashboard.browser.test.ts', '--testNamePattern', 'screenshot'],
  {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    stdio: 'inherit',
    env: { ...process.env, UPDATE_DOCS_SCREENSHOT: '1' },
    shell: process.platform === 'win32',
  },
);
process.exit(result.status ?? 1);
