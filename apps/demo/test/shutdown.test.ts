import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { onShutdownSignal, SAME_PRESS_MS } from '../src/server/shutdown-signals';

// The server as `npm run demo` starts it (src/server/main.ts), in a process of its own, from the
// sources, on a free loopback port.
const demoRoot = fileURLToPath(new URL('..', import.meta.url));
let server: ChildProcess | undefined;

afterEach(() => {
  if (server?.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  server = undefined;
});

async function startServer(): Promise<{ process: ChildProcess; url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@app/source', '--import', 'tsx', 'src/server/main.ts', '--port', '0'],
    { cwd: demoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server = child;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const found = /running at (http:\/\/\S+)/.exec(output);
      if (found?.[1] !== undefined) resolve(found[1]);
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}) before listening:\n${output}`)));
  });
  return { process: child, url, output: () => output };
}

function openStream(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(`${url}/events?user=ada`, { headers: { accept: 'text/event-stream' } }, resolve).once(
      'error',
      reject,
    );
  });
}

describe('the demo server process', () => {
  it('on Ctrl-C, ends its open streams and exits 0', async () => {
    const demo = await startServer();
    const stream = await openStream(demo.url);
    expect(stream.statusCode).toBe(200);
    stream.resume();
    const streamEnded = once(stream, 'close');
    const exited = once(demo.process, 'exit');

    // Both at once, as the terminal and `npm run demo` send them (the unit tests below cover one
    // arriving later).
    demo.process.kill('SIGINT');
    demo.process.kill('SIGINT');

    await streamEnded;
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(demo.output().match(/SIGINT received/g)).toHaveLength(1);
    expect(demo.output()).not.toContain('forced exit');
  });
});

describe('onShutdownSignal', () => {
  function harness(close: () => Promise<void> = () => Promise.resolve()) {
    let clock = 0;
    const exits: number[] = [];
    const lines: string[] = [];
    const closes: number[] = [];
    const onSignal = onShutdownSignal({
      close: () => {
        closes.push(clock);
        return close();
      },
      exit: (code) => exits.push(code),
      log: (line) => lines.push(line),
      now: () => clock,
    });
    return { onSignal, exits, lines, closes, advance: (ms: number) => (clock += ms) };
  }

  it('drains once and exits 0, however many copies of the first signal arrive within SAME_PRESS_MS', async () => {
    let finish = () => {};
    const h = harness(() => new Promise<void>((resolve) => (finish = resolve)));
    h.onSignal('SIGINT');
    h.advance(SAME_PRESS_MS - 1);
    h.onSignal('SIGINT');
    expect(h.closes).toEqual([0]);
    expect(h.exits).toEqual([]);
    finish();
    await vi.waitFor(() => expect(h.exits).toEqual([0]));
    expect(h.lines.filter((line) => line.includes('SIGINT received'))).toHaveLength(1);
  });

  it('forces the exit with 1 on a signal SAME_PRESS_MS or more after the first', () => {
    const h = harness(() => new Promise<void>(() => {}));
    h.onSignal('SIGTERM');
    h.advance(SAME_PRESS_MS);
    h.onSignal('SIGINT');
    expect(h.exits).toEqual([1]);
    expect(h.lines.at(-1)).toBe('@app/demo: forced exit');
  });

  it('exits 1 and says why when closing fails', async () => {
    const h = harness(() => Promise.reject(new Error('port stuck')));
    h.onSignal('SIGTERM');
    await vi.waitFor(() => expect(h.exits).toEqual([1]));
    expect(h.lines.at(-1)).toBe('@app/demo: shutdown failed: port stuck');
  });
});
