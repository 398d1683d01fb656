import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseLog } from '../test/parser-log';
import {
  defineEvents,
  EVENT_STREAM_CONTENT_TYPE,
  encodeEvent,
  HELLO_EVENT,
  helloSchema,
  LAST_EVENT_ID_HEADER,
  LAST_EVENT_ID_QUERY,
  RESET_EVENT,
  resetReasonSchema,
  resetSchema,
} from './index';

describe('protocol events', () => {
  it('are named under the reserved sse: prefix, which catalogs cannot use', () => {
    expect(HELLO_EVENT).toBe('sse:hello');
    expect(RESET_EVENT).toBe('sse:reset');
    expect(() => defineEvents({ [HELLO_EVENT]: helloSchema })).toThrow(/reserved/);
    expect(() => defineEvents({ [RESET_EVENT]: resetSchema })).toThrow(/reserved/);
  });

  it('sse:hello carries the client id, the catalog fingerprint and the heartbeat interval', () => {
    const hello = { clientId: 'c-1', fingerprint: 'sha256:abc', heartbeatMs: 15_000 };
    expect(helloSchema.parse(hello)).toEqual(hello);
    expect(helloSchema.safeParse({ ...hello, heartbeatMs: 0 }).success).toBe(true);
    expect(helloSchema.safeParse({ ...hello, heartbeatMs: -1 }).success).toBe(false);
    expect(helloSchema.safeParse({ ...hello, heartbeatMs: 1.5 }).success).toBe(false);
    expect(helloSchema.safeParse({ clientId: 'c-1', heartbeatMs: 0 }).success).toBe(false);
  });

  it('sse:reset carries one of three reasons and the ID the client resumed from', () => {
    expect(resetReasonSchema.options).toEqual(['evicted', 'epoch-changed', 'unknown-id']);
    for (const reason of resetReasonSchema.options) {
      expect(resetSchema.parse({ reason, lastEventId: '0-12' })).toEqual({ reason, lastEventId: '0-12' });
    }
    expect(resetSchema.safeParse({ reason: 'other', lastEventId: '1' }).success).toBe(false);
    expect(resetSchema.safeParse({ reason: 'evicted' }).success).toBe(false);
  });

  it('travel on the wire like any event', () => {
    const data = JSON.stringify({ reason: 'evicted', lastEventId: '7' });
    const [entry] = parseLog([encodeEvent({ event: RESET_EVENT, data })]);
    expect(entry).toEqual({ kind: 'event', id: '', event: 'sse:reset', data });
    expect(resetSchema.parse(JSON.parse(data))).toEqual({ reason: 'evicted', lastEventId: '7' });
  });

  it('have JSON-representable schemas', () => {
    expect(z.toJSONSchema(helloSchema)).toMatchObject({
      required: ['clientId', 'fingerprint', 'heartbeatMs'],
    });
    expect(z.toJSONSchema(resetSchema)).toMatchObject({ required: ['reason', 'lastEventId'] });
  });
});

describe('wire constants', () => {
  it('name the content type, the resume header and the resume query parameter', () => {
    expect(EVENT_STREAM_CONTENT_TYPE).toBe('text/event-stream');
    expect(LAST_EVENT_ID_HEADER).toBe('last-event-id');
    expect(LAST_EVENT_ID_QUERY).toBe('lastEventId');
  });
});
