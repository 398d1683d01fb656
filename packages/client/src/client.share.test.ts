import { settleUntil, waitFor } from '@app/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { frame } from '../test/support/catalog';
import { STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';
import { createShareHub } from '../test/support/share-fakes';

const { server, connect } = useMockNetwork();

describe('createClient({ share })', () => {
  it('shares one stream between clients where the runtime has BroadcastChannel and Web Locks', async () => {
    // Node's own BroadcastChannel, and a LockManager for the missing `navigator.locks`.
    vi.stubGlobal('navigator', { locks: createShareHub().tab().locks, onLine: true });
    const endpoint = mockEndpoint(server, STREAM_URL);
    const first = connect({ share: true });
    // The sharing code loads on demand; the state says at once that the client is connecting.
    expect(first.client.state).toBe('connecting');
    const second = connect({ share: true });
    const received: string[] = [];
    second.client.on('user:left', (data, meta) => void received.push(`${meta.id}:${data.userId}`));
    // The first import of the chunk is compiled on the spot here: wait in time, not in turns.
    await waitFor(() => expect([first.client.state, second.client.state]).toEqual(['open', 'open']));
    expect(endpoint.received).toHaveLength(1);
    expect([first.client.getSnapshot().role, second.client.getSnapshot().role]).toEqual([
      'leader',
      'follower',
    ]);

    endpoint.latest.send(frame('user:left', { userId: 'u1' }, '7'));
    await settleUntil(() => expect(received).toEqual(['7:u1']));
    expect(second.client.lastEventId).toBe('7');
    expect(second.client.metrics().events).toBe(1);
  });

  it('keeps a stream per client, silently, where the runtime cannot share', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const clients = [connect({ share: true }), connect({ share: true })];
    await settleUntil(() => expect(clients.map(({ client }) => client.state)).toEqual(['open', 'open']));
    expect(endpoint.received).toHaveLength(2);
    expect(clients.map(({ client }) => client.getSnapshot().role)).toEqual([null, null]);
    expect(clients.flatMap(({ errors }) => errors)).toEqual([]);
  });
});
