import { encodeEvent } from '@app/sse-protocol';
import { catalogFingerprint } from '@app/sse-protocol/contract';
import { settle, settleUntil } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { events, frame, helloFrame, resetFrame } from '../test/support/catalog';
import { STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';
import type { EventMeta, ResetInfo } from './client-api';

const { server, connect } = useMockNetwork();

async function openClient(options: Parameters<typeof connect>[0] = {}) {
  const endpoint = mockEndpoint(server, STREAM_URL);
  // Reconnect at once (real timers here): random 0 picks the start of every backoff window.
  const recorded = connect({ random: () => 0, ...options });
  await settleUntil(() => expect(recorded.client.state, 'the stream to open').toBe('open'));
  return { ...recorded, endpoint };
}

describe('delivery', () => {
  it('delivers typed, validated payloads with their ID, in order', async () => {
    const { client, endpoint, errors } = await openClient();
    const seen: [string, unknown, EventMeta][] = [];
    client.on('user:joined', (data, meta) => void seen.push(['joined', data, meta]));
    client.on('notification', (data, meta) => void seen.push(['note', data, meta]));
    endpoint.latest.send(
      frame('user:joined', { userId: 'u1', name: 'Ada' }, '1-1') +
        frame('notification', { message: 'hi', severity: 'info' }, '1-2'),
    );
    await settleUntil(() => expect(seen).toHaveLength(2));
    expect(seen).toEqual([
      ['joined', { userId: 'u1', name: 'Ada' }, { id: '1-1', event: 'user:joined' }],
      ['note', { message: 'hi', severity: 'info' }, { id: '1-2', event: 'notification' }],
    ]);
    expect(client.lastEventId).toBe('1-2');
    expect(errors).toEqual([]);
  });

  it('gives the parsed (output) data of the schema, not the raw JSON', async () => {
    const { client, endpoint } = await openClient();
    const names: string[] = [];
    client.on('user:joined', (data) => void names.push(data.name));
    // zod objects strip unknown keys: the handler sees exactly the schema's shape.
    endpoint.latest.send(frame('user:joined', { userId: 'u1', name: 'Ada', extra: true }, '1'));
    const received: unknown[] = [];
    client.on('user:left', (data) => void received.push(data));
    endpoint.latest.send(frame('user:left', { userId: 'u2', extra: 1 }, '2'));
    await settleUntil(() => expect(received).toHaveLength(1));
    expect(received).toEqual([{ userId: 'u2' }]);
    expect(names).toEqual(['Ada']);
  });

  it('passes payloads through unvalidated with validate: false', async () => {
    const { client, endpoint, errors } = await openClient({ validate: false });
    const received: unknown[] = [];
    client.on('user:left', (data) => void received.push(data));
    endpoint.latest.send(frame('user:left', { userId: 42 }, '1'));
    await settleUntil(() => expect(received).toHaveLength(1));
    expect(received).toEqual([{ userId: 42 }]);
    expect(errors).toEqual([]);
  });

  it('runs once() handlers for one event, and stops handlers removed with their off function', async () => {
    const { client, endpoint } = await openClient();
    const calls: string[] = [];
    client.once('user:left', (data) => void calls.push(`once:${data.userId}`));
    const off = client.on('user:left', (data) => void calls.push(`on:${data.userId}`));
    const offBeforeRun = client.once('user:left', () => void calls.push('never'));
    offBeforeRun();
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1'));
    await settleUntil(() => expect(calls).toHaveLength(2));
    off();
    endpoint.latest.send(frame('user:left', { userId: 'b' }, '2'));
    await settleUntil(() => expect(client.lastEventId).toBe('2'));
    await settle();
    expect(calls).toEqual(['once:a', 'on:a']);
  });

  it('throws at once for an event name the catalog does not define', async () => {
    const { client } = await openClient();
    // @ts-expect-error: not a catalog event
    expect(() => client.on('user:renamed', () => {})).toThrow(/the catalog has no event "user:renamed"/);
  });
});

describe('bad input', () => {
  it('reports invalid payloads with the event and the failing path, and keeps the connection', async () => {
    const { client, endpoint, errors } = await openClient();
    const received: unknown[] = [];
    client.on('notification', (data) => void received.push(data));
    endpoint.latest.send(frame('notification', { message: 'x', severity: 'fatal' }, '1'));
    endpoint.latest.send(frame('notification', { message: 'ok', severity: 'warning' }, '2'));
    await settleUntil(() => expect(received).toHaveLength(1));
    expect(received).toEqual([{ message: 'ok', severity: 'warning' }]);
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error!.code).toBe('validation-failed');
    expect(error!.event).toBe('notification');
    expect(error!.paths).toEqual(['data.severity']);
    expect(error!.message).toMatch(/^@app\/sse-client: invalid "notification" payload: data\.severity/);
    expect(error!.fatal).toBe(false);
    expect(client.state).toBe('open');
    expect(endpoint.received).toHaveLength(1);
  });

  it('reports data that is not JSON', async () => {
    const { client, endpoint, errors } = await openClient();
    const received: unknown[] = [];
    client.on('user:left', (data) => void received.push(data));
    endpoint.latest.send(encodeEvent({ id: '1', event: 'user:left', data: '{"userId":' }));
    endpoint.latest.send(frame('user:left', { userId: 'u' }, '2'));
    await settleUntil(() => expect(received).toHaveLength(1));
    expect(errors.map((error) => [error.code, error.event])).toEqual([['invalid-json', 'user:left']]);
    expect(errors[0]!.cause).toBeInstanceOf(SyntaxError);
  });

  it('reports unknown event names, message events included, and ignores unknown sse: events', async () => {
    const { client, endpoint, errors } = await openClient();
    endpoint.latest.send('data: {"plain":true}\n\n');
    endpoint.latest.send(frame('user:renamed', { userId: 'u' }, '2'));
    endpoint.latest.send(frame('sse:future-feature', { anything: 1 }));
    endpoint.latest.send(frame('user:left', { userId: 'u' }, '3'));
    await settleUntil(() => expect(client.lastEventId).toBe('3'));
    expect(errors.map((error) => [error.code, error.event])).toEqual([
      ['unknown-event', 'message'],
      ['unknown-event', 'user:renamed'],
    ]);
  });

  it('isolates a throwing handler: the others still run and the error is reported', async () => {
    const { client, endpoint, errors } = await openClient();
    const calls: string[] = [];
    client.on('user:left', () => {
      throw new Error('boom');
    });
    client.on('user:left', async () => {
      throw new Error('async boom');
    });
    client.on('user:left', (data) => void calls.push(data.userId));
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1') + frame('user:left', { userId: 'b' }, '2'));
    await settleUntil(() => {
      expect(calls).toHaveLength(2);
      expect(errors).toHaveLength(4);
    });
    expect(calls).toEqual(['a', 'b']);
    expect(errors.map((error) => [error.code, error.event, (error.cause as Error).message]).sort()).toEqual([
      ['handler-threw', 'user:left', 'async boom'],
      ['handler-threw', 'user:left', 'async boom'],
      ['handler-threw', 'user:left', 'boom'],
      ['handler-threw', 'user:left', 'boom'],
    ]);
    expect(client.state).toBe('open');
  });

  it('reports input the parser ignores as parse errors', async () => {
    const { client, endpoint, errors } = await openClient();
    endpoint.latest.send('retry: soon\nbogus: 1\n\n');
    endpoint.latest.send(frame('user:left', { userId: 'u' }, '1'));
    await settleUntil(() => expect(client.lastEventId).toBe('1'));
    expect(errors.map((error) => error.code)).toEqual(['parse', 'parse']);
    expect(errors.map((error) => (error.cause as { code: string }).code)).toEqual([
      'invalid-retry',
      'unknown-field',
    ]);
  });
  it('discards a line past maxBufferSize, reports it, and goes on with the next event', async () => {
    const { client, endpoint, errors } = await openClient({ maxBufferSize: 256 });
    const seen: string[] = [];
    client.on('user:left', (data) => void seen.push(data.userId));
    endpoint.latest.send(frame('user:left', { userId: 'x'.repeat(1000) }, '1'));
    endpoint.latest.send(frame('user:left', { userId: 'small' }, '2'));
    await settleUntil(() => expect(client.lastEventId).toBe('2'));
    expect(seen).toEqual(['small']);
    expect(errors.map((error) => [error.code, (error.cause as { code: string }).code])).toEqual([
      ['parse', 'buffer-overflow'],
    ]);
  });

  it('refuses a maxBufferSize that is not a positive integer', () => {
    expect(() => connect({ maxBufferSize: 0 })).toThrow(/maxBufferSize must be an integer at least 1, got 0/);
  });
});

describe('protocol events', () => {
  it('consumes sse:hello and sse:reset without passing them to handlers, and tracks their IDs', async () => {
    const { client, endpoint, errors } = await openClient();
    const resets: ResetInfo[] = [];
    client.onReset((info) => void resets.push(info));
    const calls: string[] = [];
    client.on('user:left', (data) => void calls.push(data.userId));
    endpoint.latest.send(helloFrame({ id: '2-10', clientId: 'conn-7' }));
    await settleUntil(() => expect(client.lastEventId).toBe('2-10'));
    expect(client.getSnapshot().clientId).toBe('conn-7');
    endpoint.latest.send(resetFrame('epoch-changed', '1-99'));
    endpoint.latest.send(frame('user:left', { userId: 'u' }, '2-11'));
    await settleUntil(() => expect(calls).toHaveLength(1));
    expect(resets).toEqual([{ reason: 'epoch-changed', lastEventId: '1-99' }]);
    expect(errors).toEqual([]);
  });

  it('reports a catalog mismatch once per server fingerprint, and keeps delivering valid events', async () => {
    const { client, endpoint, errors } = await openClient();
    const calls: string[] = [];
    client.on('user:left', (data) => void calls.push(data.userId));
    endpoint.latest.send(helloFrame({ id: '1', fingerprint: 'sha256:other' }));
    endpoint.latest.send(frame('user:left', { userId: 'u' }, '2'));
    endpoint.latest.end();
    await settleUntil(() => {
      expect(client.state, 'the reconnection').toBe('open');
      expect(endpoint.received, 'the reconnection').toHaveLength(2);
    });
    endpoint.latest.send(helloFrame({ id: '2', fingerprint: 'sha256:other' }));
    endpoint.latest.send(frame('user:left', { userId: 'v' }, '3'));
    // The check runs on demand (its code loads on first use): its report may follow the events.
    await settleUntil(() => {
      expect(calls).toHaveLength(2);
      expect(errors, 'the mismatch report').toHaveLength(1);
    });
    expect(calls).toEqual(['u', 'v']);
    expect(errors.map((error) => [error.code, error.event])).toEqual([['catalog-mismatch', 'sse:hello']]);
    expect(errors[0]!.message).toContain(catalogFingerprint(events));
  });

  it('reports an sse:hello that does not match its schema', async () => {
    const { client, endpoint, errors } = await openClient();
    endpoint.latest.send(frame('sse:hello', { clientId: 1 }, '1'));
    await settleUntil(() => expect(errors).toHaveLength(1));
    expect(errors[0]!.code).toBe('validation-failed');
    expect(errors[0]!.event).toBe('sse:hello');
    expect(errors[0]!.paths).toContain('data.clientId');
    expect(client.lastEventId).toBe('1');
  });

  it('calls every onReset listener even when one throws', async () => {
    const { client, endpoint, errors } = await openClient();
    const resets: string[] = [];
    client.onReset(() => {
      throw new Error('refetch failed');
    });
    client.onReset((info) => void resets.push(info.reason));
    endpoint.latest.send(resetFrame('evicted', '1-1'));
    await settleUntil(() => {
      expect(resets).toHaveLength(1);
      expect(errors).toHaveLength(1);
    });
    expect(errors[0]!.code).toBe('handler-threw');
    expect(errors[0]!.event).toBe('sse:reset');
  });
});

describe('dedupe', () => {
  it('does not deliver an ID twice when a resume replays events the client already has', async () => {
    const { client, endpoint } = await openClient();
    const calls: string[] = [];
    client.on('user:left', (data, meta) => void calls.push(`${data.userId}@${meta.id}`));
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1') + frame('user:left', { userId: 'b' }, '2'));
    await settleUntil(() => expect(calls).toHaveLength(2));
    endpoint.latest.end();
    await settleUntil(() => {
      expect(endpoint.received, 'the reconnection').toHaveLength(2);
      expect(client.state, 'the reconnection').toBe('open');
    });
    expect(endpoint.received[1]!.request.headers.get('last-event-id')).toBe('2');
    // An at-least-once server replays from an older point: 1 and 2 again, then 3.
    endpoint.latest.send(
      frame('user:left', { userId: 'a' }, '1') +
        frame('user:left', { userId: 'b' }, '2') +
        frame('user:left', { userId: 'c' }, '3'),
    );
    await settleUntil(() => expect(client.lastEventId).toBe('3'));
    expect(calls).toEqual(['a@1', 'b@2', 'c@3']);
  });

  it('catches a replay of the very event the client resumed from', async () => {
    const { client, endpoint } = await openClient();
    const calls: string[] = [];
    client.on('user:left', (data) => void calls.push(data.userId));
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1'));
    await settleUntil(() => expect(calls).toHaveLength(1));
    endpoint.latest.end();
    await settleUntil(() => {
      expect(endpoint.received, 'the reconnection').toHaveLength(2);
      expect(client.state, 'the reconnection').toBe('open');
    });
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1') + frame('user:left', { userId: 'b' }, '2'));
    await settleUntil(() => expect(client.lastEventId).toBe('2'));
    expect(calls).toEqual(['a', 'b']);
  });

  it('delivers events without an id: field, which repeat the previous ID per the spec', async () => {
    const { client, endpoint } = await openClient();
    const calls: string[] = [];
    client.on('user:left', (data, meta) => void calls.push(`${data.userId}@${meta.id}`));
    endpoint.latest.send(
      frame('user:left', { userId: 'a' }, '7') +
        frame('user:left', { userId: 'b' }) +
        frame('user:left', { userId: 'c' }),
    );
    await settleUntil(() => expect(calls).toHaveLength(3));
    expect(calls).toEqual(['a@7', 'b@7', 'c@7']);
    // After a reconnection, an event without an id: field is new too.
    endpoint.latest.end();
    await settleUntil(() => {
      expect(endpoint.received, 'the reconnection').toHaveLength(2);
      expect(client.state, 'the reconnection').toBe('open');
    });
    endpoint.latest.send(frame('user:left', { userId: 'd' }));
    await settleUntil(() => expect(calls).toHaveLength(4));
    expect(calls.at(-1)).toBe('d@7');
  });

  it('delivers every event of a server that sends no IDs at all', async () => {
    const { client, endpoint } = await openClient();
    const calls: string[] = [];
    client.on('user:left', (data, meta) => void calls.push(`${data.userId}@${meta.id}`));
    endpoint.latest.send(frame('user:left', { userId: 'a' }) + frame('user:left', { userId: 'a' }));
    await settleUntil(() => expect(calls).toHaveLength(2));
    expect(calls).toEqual(['a@', 'a@']);
    expect(client.lastEventId).toBe('');
  });

  it('delivers an event without an id: field after an id-only block named an ID already delivered', async () => {
    const { client, endpoint } = await openClient();
    const calls: string[] = [];
    client.on('user:left', (data, meta) => void calls.push(`${data.userId}@${meta.id}`));
    // Spec: an event inherits the last event ID; it is a new event, not a repeat of the one that
    // carried the ID (only events with an `id:` field of their own are checked for duplicates).
    endpoint.latest.send(
      frame('user:left', { userId: 'a' }, '5') +
        frame('user:left', { userId: 'b' }, '6') +
        'id: 5\n\n' +
        frame('user:left', { userId: 'c' }),
    );
    await settleUntil(() => expect(calls).toHaveLength(3));
    expect(calls).toEqual(['a@5', 'b@6', 'c@5']);
  });

  it('moves the last event ID on an id-only block and an explicit empty id', async () => {
    const { client, endpoint } = await openClient();
    endpoint.latest.send('id: 40\n\n');
    await settleUntil(() => expect(client.lastEventId).toBe('40'));
    endpoint.latest.send('id\n\n');
    await settleUntil(() => expect(client.lastEventId).toBe(''));
  });
});

describe('stream()', () => {
  it('yields the union narrowed by type, and unsubscribes on break', async () => {
    const { client, endpoint } = await openClient();
    const seen: string[] = [];
    const loop = (async () => {
      for await (const event of client.stream()) {
        if (event.type === 'user:joined') seen.push(`${event.data.name}@${event.id}`);
        else if (event.type === 'notification') {
          seen.push(event.data.message);
          break;
        }
      }
    })();
    endpoint.latest.send(
      frame('user:joined', { userId: 'u', name: 'Ada' }, '1') +
        frame('user:left', { userId: 'u' }, '2') +
        frame('notification', { message: 'bye', severity: 'info' }, '3') +
        frame('user:joined', { userId: 'v', name: 'Bob' }, '4'),
    );
    await loop;
    expect(seen).toEqual(['Ada@1', 'bye']);
  });

  it('queues events until the loop takes them, and ends quietly on close()', async () => {
    const { client, endpoint } = await openClient();
    const iterator = client.stream();
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1') + frame('user:left', { userId: 'b' }, '2'));
    await settleUntil(() => expect(client.lastEventId).toBe('2'));
    client.close();
    const taken: string[] = [];
    for await (const event of iterator)
      taken.push(event.type === 'user:left' ? event.data.userId : event.type);
    expect(taken).toEqual(['a', 'b']);
  });

  it('ends when its signal aborts', async () => {
    const { client, endpoint } = await openClient();
    const controller = new AbortController();
    const iterator = client.stream({ signal: controller.signal });
    const next = iterator.next();
    controller.abort();
    expect(await next).toEqual({ value: undefined, done: true });
    endpoint.latest.send(frame('user:left', { userId: 'a' }, '1'));
    await settleUntil(() => expect(client.lastEventId).toBe('1'));
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});
