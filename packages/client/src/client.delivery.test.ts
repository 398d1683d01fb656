import { defineEvents, encodeEvent } from '@app/sse-protocol';
import { settle, settleUntil } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { frame } from '../test/support/catalog';
import { STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';
import { createClient } from './client';
import type { SseClientError } from './errors';

const { server, connect } = useMockNetwork();

async function openClient() {
  const endpoint = mockEndpoint(server, STREAM_URL);
  const recorded = connect({ random: () => 0 });
  await settleUntil(() => expect(recorded.client.state, 'the stream to open').toBe('open'));
  return { ...recorded, endpoint };
}

function left(userId: string, id: string): string {
  return frame('user:left', { userId }, id);
}

describe('handlers changed during dispatch', () => {
  it('skips a handler removed by an earlier one, and runs one added during dispatch from the next event', async () => {
    const { client, endpoint } = await openClient();
    const calls: string[] = [];
    let offSecond = () => {};
    client.on('user:left', (data) => {
      calls.push(`first:${data.userId}`);
      offSecond();
      if (data.userId === 'a') client.on('user:left', (later) => void calls.push(`added:${later.userId}`));
    });
    offSecond = client.on('user:left', (data) => void calls.push(`second:${data.userId}`));
    endpoint.latest.send(left('a', '1') + left('b', '2'));
    await settleUntil(() => expect(client.lastEventId).toBe('2'));
    expect(calls).toEqual(['first:a', 'first:b', 'added:b']);
  });

  it('runs a once() handler a single time even when it triggers another event delivery path', async () => {
    const { client, endpoint } = await openClient();
    const calls: string[] = [];
    client.once('user:left', (data) => {
      calls.push(`once:${data.userId}`);
      client.once('user:left', (next) => void calls.push(`again:${next.userId}`));
    });
    endpoint.latest.send(left('a', '1') + left('b', '2') + left('c', '3'));
    await settleUntil(() => expect(client.lastEventId).toBe('3'));
    expect(calls).toEqual(['once:a', 'again:b']);
  });
});

describe('a catalog that defines message', () => {
  it('delivers blocks without an event: field to the message handlers', async () => {
    const withMessage = defineEvents({ message: z.object({ text: z.string() }) });
    const endpoint = mockEndpoint(server, STREAM_URL);
    const client = createClient({ url: STREAM_URL, events: withMessage });
    const errors: SseClientError[] = [];
    client.onError((error) => void errors.push(error));
    const texts: string[] = [];
    client.on('message', (data, meta) => void texts.push(`${data.text}@${meta.id}`));
    try {
      await settleUntil(() => expect(client.state).toBe('open'));
      endpoint.latest.send('id: 1\ndata: {"text":"plain"}\n\n');
      endpoint.latest.send(encodeEvent({ id: '2', event: 'message', data: '{"text":"named"}' }));
      await settleUntil(() => expect(texts).toHaveLength(2));
      expect(texts).toEqual(['plain@1', 'named@2']);
      expect(errors).toEqual([]);
    } finally {
      client.close();
    }
  });
});

describe('stream() consumers', () => {
  it('gives every concurrent loop every event, in order', async () => {
    const { client, endpoint } = await openClient();
    const collect = async (limit: number) => {
      const seen: string[] = [];
      for await (const event of client.stream()) {
        seen.push(event.id);
        if (seen.length === limit) break;
      }
      return seen;
    };
    const first = collect(3);
    const second = collect(2);
    endpoint.latest.send(left('a', '1') + left('b', '2') + left('c', '3'));
    expect(await Promise.all([first, second])).toEqual([
      ['1', '2', '3'],
      ['1', '2'],
    ]);
  });

  it('ends at once for a signal that is already aborted', async () => {
    const { client } = await openClient();
    const iterator = client.stream({ signal: AbortSignal.abort() });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('ends a loop that falls maxBuffered events behind with stream-overflow, and nothing else', async () => {
    const { client, endpoint, errors } = await openClient();
    const slow = client.stream({ maxBuffered: 2 });
    const fast: string[] = [];
    const handled: string[] = [];
    client.on('user:left', (data) => void handled.push(data.userId));
    const fastLoop = (async () => {
      for await (const event of client.stream()) {
        fast.push(event.id);
        if (fast.length === 4) break;
      }
    })();
    endpoint.latest.send(left('a', '1') + left('b', '2') + left('c', '3') + left('d', '4'));
    await fastLoop;
    const taken: string[] = [];
    let thrown: unknown;
    try {
      for await (const event of slow) taken.push(event.id);
    } catch (error) {
      thrown = error;
    }
    expect(taken).toEqual(['1', '2']);
    expect(thrown).toMatchObject({ code: 'stream-overflow' });
    expect(fast).toEqual(['1', '2', '3', '4']);
    expect(handled).toEqual(['a', 'b', 'c', 'd']);
    expect(client.state).toBe('open');
    expect(errors).toEqual([]);
  });

  it('refuses a maxBuffered that is not a positive integer', async () => {
    const { client } = await openClient();
    for (const maxBuffered of [0, -1, 1.5, Number.NaN]) {
      expect(() => client.stream({ maxBuffered })).toThrow(
        /maxBuffered must be a positive integer or Infinity/,
      );
    }
    expect(() => client.stream({ maxBuffered: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});

describe('the end of a stream', () => {
  it('drops a final event that lacks only its blank line, at EOF and on a broken connection', async () => {
    const { client, endpoint } = await openClient();
    const calls: string[] = [];
    client.on('user:left', (data) => void calls.push(data.userId));
    endpoint.latest.send(left('a', '1'));
    await settleUntil(() => expect(calls).toHaveLength(1));
    // Everything but the final LF: the event is never dispatched, and its id never committed.
    endpoint.latest.send(left('b', '2').slice(0, -1));
    await settle();
    endpoint.latest.end();
    await settleUntil(() => {
      expect(endpoint.received, 'the reconnection').toHaveLength(2);
      expect(client.state, 'the reconnection').toBe('open');
    });
    expect(endpoint.received[1]!.request.headers.get('last-event-id')).toBe('1');
    endpoint.latest.send(left('c', '3').slice(0, -1));
    await settle();
    endpoint.latest.fail(new Error('reset'));
    await settleUntil(() => {
      expect(endpoint.received, 'the second reconnection').toHaveLength(3);
      expect(client.state, 'the second reconnection').toBe('open');
    });
    expect(endpoint.received[2]!.request.headers.get('last-event-id')).toBe('1');
    expect(calls).toEqual(['a']);
    expect(client.lastEventId).toBe('1');
  });
});
