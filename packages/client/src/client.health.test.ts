import { settleUntil } from '@app/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { frame, helloFrame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';
import { HEALTHY_AFTER_MS } from './reconnect-loop';

const { server, connect } = useMockNetwork();

/**
 * Runs `rounds` connections, each answered by `serve` on the fresh stream, kept open for
 * `upFor(round)` (fake) milliseconds and then ended, and returns the reconnection delays the
 * client chose (random 0.5: half of each ceiling).
 */
async function delaysAfter(
  rounds: number,
  serve: (round: number) => string,
  upFor: (round: number) => number = () => 0,
): Promise<number[]> {
  vi.useFakeTimers(FAKE_TIMERS);
  const endpoint = mockEndpoint(server, STREAM_URL);
  const { client } = connect({ random: () => 0.5 });
  const delays: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    await settleUntil(() => {
      expect(endpoint.received, `connection ${round}`).toHaveLength(round);
      expect(client.state, `connection ${round}`).toBe('open');
    });
    endpoint.latest.send(serve(round));
    if (upFor(round) > 0) await vi.advanceTimersByTimeAsync(upFor(round));
    endpoint.latest.end();
    await settleUntil(() => expect(client.getSnapshot().retryAt, `retry ${round}`).not.toBeNull());
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
    expect(delays).toEqual([500, 1000, 2000]);
  });

  it('keeps backing off from a server that delivers one new event per connection and drops', async () => {
    const delays = await delaysAfter(4, (round) => frame('user:left', { userId: 'a' }, String(round)));
    expect(delays).toEqual([500, 1000, 2000, 4000]);
  });

  it('keeps backing off when that server also sends retry: 0 (a minimum delay would make a flood)', async () => {
    const delays = await delaysAfter(
      4,
      (round) => `retry: 0\n${frame('user:left', { userId: 'a' }, String(round))}`,
    );
    // The base is raised to MIN_SERVER_RETRY_MS (100 ms); the ceilings still double.
    expect(delays).toEqual([50, 100, 200, 400]);
  });

  it('keeps backing off from a server that greets with an event the catalog refuses and drops', async () => {
    const delays = await delaysAfter(3, () => 'event: connected\ndata: {}\n\n');
    expect(delays).toEqual([500, 1000, 2000]);
  });

  it('keeps backing off from a server that sends one event without an id: field per response', async () => {
    const delays = await delaysAfter(3, () => frame('user:left', { userId: 'a' }));
    expect(delays).toEqual([500, 1000, 2000]);
  });

  it(`starts again from the first step once a connection stayed open ${HEALTHY_AFTER_MS} ms, not before`, async () => {
    const upFor = [0, 0, HEALTHY_AFTER_MS - 1, HEALTHY_AFTER_MS, 0];
    const delays = await delaysAfter(
      upFor.length,
      (round) => frame('user:left', { userId: 'a' }, String(round)),
      (round) => upFor[round - 1]!,
    );
    // Connections 1-3 drop early (the third 1 ms short of healthy): the delays grow. The fourth
    // stays up long enough: the wait after it is the first step again, and the growth restarts.
    expect(delays).toEqual([500, 1000, 2000, 500, 1000]);
  });
});
