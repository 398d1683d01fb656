import { defineEvents } from '@app/sse-protocol';
import type { HttpHandler } from 'msw';
import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { type MockConnection, mockEventStream } from './index';

const events = defineEvents({
  'user:joined': z.object({ userId: z.string(), name: z.string() }),
  counter: z.object({ value: z.number().default(0) }),
});
const stream = mockEventStream(events, 'http://localhost/events');

describe('mockEventStream', () => {
  it('types send by the catalog', () => {
    expectTypeOf(stream.send('user:joined', { userId: 'u1', name: 'Ada' })).toEqualTypeOf<string>();
    // The schema's input type: a defaulted field may be left out.
    stream.send('counter', {});
    // @ts-expect-error not in the catalog
    stream.send('user:renamed', { userId: 'u1' });
    // @ts-expect-error name is missing
    stream.send('user:joined', { userId: 'u1' });
    // @ts-expect-error value is a number
    stream.send('counter', { value: 'one' });
  });

  it('gives msw handlers and connection records', () => {
    expectTypeOf(stream.handlers).toEqualTypeOf<readonly HttpHandler[]>();
    expectTypeOf(stream.connections).toEqualTypeOf<readonly MockConnection[]>();
    expectTypeOf(stream.waitForConnection(0)).resolves.toHaveProperty('lastEventId').toEqualTypeOf<string>();
    // @ts-expect-error not a reset reason
    stream.reset('gone');
  });
});
