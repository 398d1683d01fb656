import { defineEvents } from '@app/sse-protocol';
import type { HttpHandler } from 'msw';
import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { type MockConnection, mockEventStream, type SendArgs } from './index';

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
    // @ts-expect-error an extra field
    stream.send('user:joined', { userId: 'u1', name: 'Ada', extra: 1 });
  });

  it('checks the payload against the name it goes with when the name is a union', () => {
    const either = (Math.random() < 0.5 ? 'user:joined' : 'counter') as 'user:joined' | 'counter';
    // @ts-expect-error `counter`'s payload does not fit `user:joined`
    stream.send(either, { value: 1 });
    // @ts-expect-error `user:joined`'s payload does not fit `counter`
    stream.send(either, { userId: 'u1', name: 'Ada' });
    // Narrowed, each name takes its own payload.
    if (either === 'counter') stream.send(either, { value: 1 });
    else stream.send(either, { userId: 'u1', name: 'Ada' });
    // Generic code that pairs them through SendArgs compiles.
    type Pair = SendArgs<typeof events, 'user:joined' | 'counter'>;
    const pairs: Pair[] = [
      ['counter', { value: 2 }],
      ['user:joined', { userId: 'u2', name: 'Grace' }],
    ];
    for (const pair of pairs) expectTypeOf(stream.send(...pair)).toEqualTypeOf<string>();
    // @ts-expect-error a pair whose payload belongs to the other name
    const crossed: Pair = ['counter', { userId: 'u1', name: 'Ada' }];
    void crossed;
  });

  it('infers the name from a literal and offers its payload', () => {
    expectTypeOf(stream.send<'counter'>).parameters.toEqualTypeOf<
      [name: 'counter', data: { value?: number }]
    >();
    expectTypeOf(stream.clear).toEqualTypeOf<() => void>();
  });

  it('gives msw handlers and connection records', () => {
    expectTypeOf(stream.handlers).toEqualTypeOf<readonly HttpHandler[]>();
    expectTypeOf(stream.connections).toEqualTypeOf<readonly MockConnection[]>();
    expectTypeOf(stream.waitForConnection(0)).resolves.toHaveProperty('lastEventId').toEqualTypeOf<string>();
    // @ts-expect-error not a reset reason
    stream.reset('gone');
  });
});
