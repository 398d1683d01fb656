import {
  createParser,
  encodeComment,
  encodeEvent,
  HELLO_EVENT,
  isEventValidationError,
  isProtocolError,
  type ParsedEvent,
  RESET_EVENT,
} from '@app/sse-protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createEmitter,
  createMemoryStore,
  isSseServerError,
  lastEventIdFrom,
  type ReplayStore,
} from '../src/index';
import { events } from './support/catalog';
import { useStreamFixture } from './support/stream-fixture';

const fixture = useStreamFixture();

/** Strings rich in the characters that could break an event stream. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\r',
      '\n',
      '\r\n',
      '\0',
      ':',
      ' ',
      'id',
      'event',
      'data',
      'retry',
      '\u2028',
      '\uFEFF',
      '-',
      '9',
    ),
    fc.string({ minLength: 0, maxLength: 3 }),
  ),
  maxLength: 40,
});
const withBreak = fc
  .tuple(hostile, fc.constantFrom('\r', '\n', '\0'), hostile)
  .map(([before, breaker, after]) => `${before}${breaker}${after}`);

function parseAll(text: string) {
  const parsed: { events: ParsedEvent[]; comments: string[]; retries: number[]; errors: string[] } = {
    events: [],
    comments: [],
    retries: [],
    errors: [],
  };
  const parser = createParser({
    onEvent: (event) => parsed.events.push(event),
    onComment: (comment) => parsed.comments.push(comment),
    onRetry: (retry) => parsed.retries.push(retry),
    onError: (error) => parsed.errors.push(error.code),
  });
  parser.feed(text);
  return parsed;
}

describe('injection', () => {
  it('refuses event names and IDs holding CR, LF or NUL, and comments never become fields or events', () => {
    fc.assert(
      fc.property(withBreak, hostile, (bad, text) => {
        expect(() => encodeEvent({ event: bad, data: '{}' })).toThrow(/CR, LF or NUL/);
        expect(() => encodeEvent({ id: bad, data: '{}' })).toThrow(/CR, LF or NUL/);
        const comment = parseAll(encodeComment(text));
        expect(comment.events).toEqual([]);
        expect(comment.retries).toEqual([]);
        expect(comment.errors).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('never lets a payload, a name or a store ID add an event or a field on a real stream', async () => {
    let evilId: string | undefined;
    const inner = createMemoryStore();
    // A store that issues the hostile ID it is told to: the encoder must still refuse it.
    const store: ReplayStore = {
      append: (request) =>
        evilId === undefined
          ? inner.append(request)
          : inner.append({ ...request, encode: () => request.encode(evilId as string) }),
      readAfter: (id) => inner.readAfter(id),
      head: () => inner.head(),
    };
    const emitter = createEmitter({ events, heartbeatMs: 0, store });
    const url = await fixture.serve(emitter);
    const raw = await fixture.open(url);
    await raw.waitForEvents(1);
    const texts: string[] = [];

    await fc.assert(
      fc.asyncProperty(hostile, withBreak, withBreak, async (text, name, id) => {
        await expect(emitter.broadcast(name as 'tick', { n: 1 })).rejects.toSatisfy(isEventValidationError);
        evilId = id;
        await expect(emitter.broadcast('tick', { n: 1 })).rejects.toSatisfy(
          (error: unknown) =>
            isSseServerError(error) && error.code === 'store-failed' && isProtocolError(error.cause),
        );
        evilId = undefined;
        texts.push(text);
        await emitter.broadcast('blob', { text });
      }),
      { numRuns: 150 },
    );
    await raw.waitForEvents(texts.length + 1);
    const received = raw.events.slice(1);
    expect(received.map((event) => event.event)).toEqual(texts.map(() => 'blob'));
    expect(received.map((event) => JSON.parse(event.data).text)).toEqual(texts);
    expect(raw.retries).toEqual([3000]);
    expect(parseAll(raw.text).errors).toEqual([]);
  });

  it('never crashes on a hostile Last-Event-ID: 400 when malformed, else a replay or a reset', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    fixture.sse = emitter;
    const { id } = await emitter.broadcast('tick', { n: 1 });
    const epoch = id.slice(0, id.indexOf('-'));
    const candidates = fc.oneof(
      hostile,
      fc.string({ maxLength: 300 }),
      fc
        .tuple(fc.constantFrom(epoch, 'other', 'a'.repeat(64)), hostile)
        .map(([prefix, rest]) => `${prefix}-${rest}`),
      fc
        .tuple(fc.constantFrom(epoch, 'other'), fc.nat({ max: 2 ** 53 }))
        .map(([prefix, seq]) => `${prefix}-${seq}`),
    );
    await fc.assert(
      fc.asyncProperty(candidates, async (lastEventId) => {
        const url = `http://localhost/events?lastEventId=${encodeURIComponent(lastEventId)}`;
        const response = await emitter.fetchHandler(new Request(url));
        const wellFormed =
          /^[0-9A-Za-z_]{1,64}-[0-9]{1,16}$/.test(lastEventId) &&
          Number.isSafeInteger(Number(lastEventId.split('-')[1]));
        if (lastEventId === '' || wellFormed) {
          expect(response.status).toBe(200);
          const text = await readUntilHello(response);
          const parsed = parseAll(text);
          expect(parsed.events[0]?.event).toBe(HELLO_EVENT);
          const replayedOrReset = parsed.events.slice(1).map((event) => event.event);
          expect(replayedOrReset.every((name) => name === 'tick' || name === RESET_EVENT)).toBe(true);
        } else {
          expect(response.status).toBe(400);
          await response.text();
        }
      }),
      { numRuns: 300 },
    );
    expect(emitter.stats().clients).toBe(0);

    fc.assert(
      fc.property(fc.string(), fc.string(), (header, url) => {
        const value = lastEventIdFrom(header, url);
        expect(value === null || typeof value === 'string').toBe(true);
      }),
    );
  });

  it('answers hostile query IDs over a real socket without harm', async () => {
    const emitter = createEmitter({ events, heartbeatMs: 0 });
    const url = await fixture.serve(emitter);
    await fc.assert(
      fc.asyncProperty(withBreak, async (bad) => {
        const raw = await fixture.open(`${url}?lastEventId=${encodeURIComponent(bad)}`);
        await raw.waitForEnd();
        expect(raw.status).toBe(400);
        expect(raw.events).toEqual([]);
      }),
      { numRuns: 40 },
    );
    const healthy = await fixture.open(url);
    expect(healthy.status).toBe(200);
  });
});

/** Reads a Response body until sse:hello (and any replay or reset) arrived, then cancels it. */
async function readUntilHello(response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!/event: sse:hello\n[\s\S]*\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  // Whatever was written together with the hello (a reset, a replay) is already queued.
  for (;;) {
    const next = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 0)),
    ]);
    if (next === null || next.done) break;
    text += decoder.decode(next.value, { stream: true });
  }
  await reader.cancel();
  return text;
}
