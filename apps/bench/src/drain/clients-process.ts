// The drain benchmark's clients, in a process of their own (10,000 streams on each side do not fit
// one process's file limit): open `count` streams to instance A, and when each ends, open one to
// instance B `retryMs` later, as an EventSource does after a stream ends.
import { request } from 'node:http';
import type { ClientsCommand, ClientsReply } from './drain-messages';

const reply = (message: ClientsReply) => process.send?.(message);
const CONCURRENCY = 256;

/** Opens one stream and resolves when its response headers arrived; `onEnd` runs when it ends. */
function openStream(port: number, onEnd: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/events', agent: false }, (res) => {
      res.on('data', () => {});
      res.on('close', onEnd);
      resolve();
    });
    req.on('error', reject);
    req.end();
  });
}

process.on('message', async ({ portA, portB, count, retryMs }: ClientsCommand) => {
  try {
    let reconnected = 0;
    const onEnd = () => {
      setTimeout(() => {
        openStream(portB, () => {}).then(
          () => {
            if (++reconnected === count) reply({ type: 'reconnected' });
          },
          (error: unknown) => reply({ type: 'failed', message: String(error) }),
        );
      }, retryMs);
    };
    for (let opened = 0; opened < count; opened += CONCURRENCY) {
      const batch = Math.min(CONCURRENCY, count - opened);
      await Promise.all(Array.from({ length: batch }, () => openStream(portA, onEnd)));
    }
    reply({ type: 'opened' });
  } catch (error) {
    reply({ type: 'failed', message: String(error) });
  }
});
