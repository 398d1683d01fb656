import { settleUntil } from '@app/test-utils';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { frame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';
import type { ClientSnapshot } from './client-api';

const { server, connect } = useMockNetwork();

describe('subscribe() and getSnapshot()', () => {
  it('returns the same snapshot object until something changes', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const { client } = connect();
    await settleUntil(() => expect(client.state).toBe('open'));
    const first = client.getSnapshot();
    expect(client.getSnapshot()).toBe(first);
    endpoint.latest.send(frame('user:left', { userId: 'u' }, '5'));
    await settleUntil(() => expect(client.lastEventId).toBe('5'));
    const second = client.getSnapshot();
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ state: 'open', lastEventId: '5', retryAt: null, attempt: 0 });
    expect(Object.isFrozen(second)).toBe(true);
  });

  it('notifies subscribers of every change and exposes the reconnection time for a countdown', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(1_000_000);
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new HttpResponse(null, { status: 503, headers: { 'retry-after': '3' } }));
    const { client } = connect({ random: () => 0 });
    const snapshots: ClientSnapshot[] = [];
    const off = client.subscribe(() => snapshots.push(client.getSnapshot()));
    await settleUntil(() => expect(client.getSnapshot().retryAt).not.toBeNull());
    expect(client.getSnapshot()).toMatchObject({ state: 'reconnecting', retryAt: 1_003_000, attempt: 1 });
    expect(client.getSnapshot().error?.code).toBe('http-status');
    await vi.advanceTimersByTimeAsync(3000);
    await settleUntil(() => expect(client.state).toBe('open'));
    off();
    endpoint.latest.send(frame('user:left', { userId: 'u' }, '1'));
    await settleUntil(() => expect(client.lastEventId).toBe('1'));
    expect(snapshots.map((snapshot) => [snapshot.state, snapshot.retryAt])).toEqual([
      ['reconnecting', 1_003_000],
      ['reconnecting', null],
      ['open', null],
    ]);
  });

  it('reports a throwing subscriber and keeps notifying the others', async () => {
    mockEndpoint(server, STREAM_URL);
    const { client, errors } = connect({ autoConnect: false });
    const states: string[] = [];
    client.subscribe(() => {
      throw new Error('render failed');
    });
    client.subscribe(() => void states.push(client.state));
    client.connect();
    await settleUntil(() => expect(client.state).toBe('open'));
    expect(states).toEqual(['connecting', 'open']);
    expect(errors.map((error) => error.code)).toEqual(['handler-threw', 'handler-threw']);
  });

  it('tells state listeners the changes in order when one of them closes the client', async () => {
    mockEndpoint(server, STREAM_URL);
    const { client } = connect({ autoConnect: false });
    const seen: string[] = [];
    client.onState((state) => {
      seen.push(`a:${state}`);
      if (state === 'open') client.close();
    });
    client.onState((state) => void seen.push(`b:${state}`));
    client.connect();
    await settleUntil(() => expect(seen).toContain('b:closed'));
    expect(seen).toEqual(['a:connecting', 'b:connecting', 'a:open', 'b:open', 'a:closed', 'b:closed']);
  });
});
