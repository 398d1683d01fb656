import { describe, expect, it, vi } from 'vitest';
import { frame, helloFrame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint, until } from '../test/support/mock-endpoint';

const { server, connect } = useMockNetwork();

/**
 * Runs `rounds` connections, each answered by `serve` on the fresh stream and then ended, and
 * returns the reconnection delays the client chose (random 0.5: half of each ceiling).
 */
async function delaysAfter(rounds: number, serve: (round: number) => string): Promise<number[]> {
  vi.useFakeTimers(FAKE_TIMERS);
  const endpoint = mockEndpoint(server, STREAM_URL);
  const { client } = connect({ random: () => 0.5 });
  const delays: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    await until(() => endpoint.received.length === round && client.state === 'open', `connection ${round}`);
    endpoint.latest.send(serve(round));
    endpoint.latest.end();
    await until(() => client.getSnapshot().retryAt !== null, `retry ${round}`);
    delays.push(client.getSnapshot().retryAt! - Date.now());
    await vi.advanceTimersByTimeAsync(delays.at(-1)!);
  }
  return delays;
}

describe('what makes a connection healthy', () => {
  it('keeps backing off from a server that greets with sse:hello and drops at once', async () => {
    const delays = await delaysAfter(4, (round) => helloFrame({ id: `h${round}`, heartbeatMs: 1000 }));
    expect(delays).toEqual([500, 1000, 2000, 4000]);
  });

  it('keeps backing off from a server that replays an event the client has and drops', async () => {
    const delays = await delaysAfter(3, () => frame('user:left', { userId: 'a' }, '1'));
    // The first connection delivered event 1 (healthy); the others only repeated it.
    expect(delays).toEqual([500, 1000, 2000]);
  });

  it('starts again from the first step after each connection that delivered a new event', async () => {
    const delays = await delaysAfter(3, (round) => frame('user:left', { userId: 'a' }, String(round)));
    expect(delays).toEqual([500, 500, 500]);
  });

  it('keeps backing off from a server that greets with an event the catalog refuses and drops', async () => {
    const delays = await delaysAfter(3, () => 'event: connected\ndata: {}\n\n');
    expect(delays).toEqual([500, 1000, 2000]);
  });

  it('counts an event without an id: field, as a server that ends each response after one sends', async () => {
    const delays = await delaysAfter(3, () => frame('user:left', { userId: 'a' }));
    expect(delays).toEqual([500, 500, 500]);
  });
});
