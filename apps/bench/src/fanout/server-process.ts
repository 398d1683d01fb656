// Child process that runs one server under test (one of SERVER_KINDS) on loopback and
// obeys the orchestrator over IPC. Started by run-fanout.ts with --expose-gc.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { nowMicros } from './clock';
import { createCpuProfiler } from './cpu-profiler';
import type { ServerCommand, ServerKind, ServerReply } from './messages';
import { tickPayload } from './payload';
import type { FanoutServer } from './servers/contract';

function reply(message: ServerReply): void {
  process.send?.(message);
}

async function start(kind: ServerKind): Promise<FanoutServer> {
  switch (kind) {
    case 'ours-express':
      return (await import('./servers/ours')).createOursServer('express');
    case 'ours-node':
      return (await import('./servers/ours')).createOursServer('node');
    case 'ours-fetch':
      return (await import('./servers/ours')).createOursServer('fetch');
    case 'ours-http2':
      return (await import('./servers/ours')).createOursServer('http2');
    case 'ours-http2-stream':
      return (await import('./servers/ours')).createOursServer('http2-stream');
    case 'better-sse':
      return (await import('./servers/better-sse')).createBetterSseServer();
    case 'raw':
      return (await import('./servers/raw')).createRawServer('node');
    case 'raw-express':
      return (await import('./servers/raw')).createRawServer('express');
    case 'raw-http2':
      return (await import('./servers/raw-http2')).createRawHttp2Server();
  }
}

async function collectGarbage(): Promise<void> {
  // Two full collections with a turn between them, so weak references and finalizers settle.
  for (let i = 0; i < 2; i++) {
    globalThis.gc?.();
    await nextTurn();
  }
}

async function main(): Promise<void> {
  const kind = process.argv[2] as ServerKind;
  const server = await start(kind);
  let seq = 0;
  const profiler = createCpuProfiler();
  process.on('message', async (command: ServerCommand) => {
    try {
      switch (command.type) {
        case 'publish': {
          const startedAt = nowMicros();
          for (let i = 0; i < command.count; i++) await server.publish(tickPayload(++seq));
          reply({ type: 'published', startedAt, finishedAt: nowMicros() });
          return;
        }
        case 'clients':
          reply({ type: 'clients', count: server.clients() });
          return;
        case 'usage': {
          const { user, system } = process.cpuUsage();
          reply({ type: 'usage', cpuMicros: user + system });
          return;
        }
        case 'memory': {
          await collectGarbage();
          const usage = process.memoryUsage();
          reply({ type: 'memory', rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external });
          return;
        }
        case 'profile-start':
          await profiler.start();
          reply({ type: 'profiling' });
          return;
        case 'profile-stop':
          await profiler.stop(command.path);
          reply({ type: 'profiled', path: command.path });
          return;
        case 'close':
          await server.close();
          // Exit once the reply is out.
          process.send?.({ type: 'closed' } satisfies ServerReply, () => process.exit(0));
          return;
      }
    } catch (error) {
      reply({
        type: 'failed',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
  if (typeof globalThis.gc !== 'function') {
    reply({ type: 'failed', message: 'the server process needs --expose-gc to measure memory' });
    return;
  }
  reply({ type: 'listening', port: server.port, label: server.label });
}

process.on('disconnect', () => process.exit(0));
main().catch((error: unknown) => {
  reply({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
});
