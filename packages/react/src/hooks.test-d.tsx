import { createClient } from '@app/sse-client';
import { defineEvents } from '@app/sse-protocol';
import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { createSseHooks } from './index';
import { createSseQueryHooks } from './query';

const events = defineEvents({
  'user:joined': z.object({ userId: z.string(), name: z.string() }),
  'user:left': z.object({ userId: z.string() }),
  counter: z.object({ value: z.number() }),
});
const hooks = createSseHooks(createClient({ url: 'http://localhost/events', events, autoConnect: false }));

describe('useSseStatus', () => {
  it('gives the status without lastEventId, or the selected part', () => {
    const status = hooks.useSseStatus();
    expectTypeOf(status.state).toEqualTypeOf<'connecting' | 'open' | 'reconnecting' | 'closed'>();
    // @ts-expect-error lastEventId changes with every event: select it explicitly
    status.lastEventId;
    expectTypeOf(hooks.useSseStatus((s) => s.attempt)).toEqualTypeOf<number>();
    expectTypeOf(hooks.useSseStatus((s) => s.lastEventId)).toEqualTypeOf<string>();
    // @ts-expect-error no such field
    hooks.useSseStatus((s) => s.missing);
  });
});

describe('useSseEvent', () => {
  it('types the handler by the event name', () => {
    hooks.useSseEvent('user:joined', (data, meta) => {
      expectTypeOf(data).toEqualTypeOf<{ userId: string; name: string }>();
      expectTypeOf(meta.event).toEqualTypeOf<'user:joined'>();
      expectTypeOf(meta.id).toEqualTypeOf<string>();
    });
    // @ts-expect-error not in the catalog
    hooks.useSseEvent('user:renamed', () => {});
    // @ts-expect-error user:left has no name
    hooks.useSseEvent('user:left', (data) => data.name);
  });
});

describe('useSseLatest', () => {
  it('gives the typed payload with its ID, or undefined', () => {
    const latest = hooks.useSseLatest('counter');
    expectTypeOf(latest).toEqualTypeOf<
      { readonly data: { value: number }; readonly id: string } | undefined
    >();
    // @ts-expect-error not in the catalog
    hooks.useSseLatest('nope');
  });
});

describe('useSseReducer', () => {
  it('narrows events to the given names and types the state', () => {
    const { state, refetching } = hooks.useSseReducer(
      ['user:joined', 'user:left'],
      (names: string[], event) => {
        expectTypeOf(event.type).toEqualTypeOf<'user:joined' | 'user:left'>();
        return event.type === 'user:joined' ? [...names, event.data.name] : names;
      },
      [],
      { refetch: async () => ['fresh'] },
    );
    expectTypeOf(state).toEqualTypeOf<string[]>();
    expectTypeOf(refetching).toEqualTypeOf<boolean>();
    // @ts-expect-error user:left has no name
    hooks.useSseReducer(['user:left'], (names: string[], event) => [...names, event.data.name], []);
    // @ts-expect-error counter is not one of the names
    hooks.useSseReducer(['user:left'], (n: number, event) => (event.type === 'counter' ? n : n), 0);
    // @ts-expect-error not in the catalog
    hooks.useSseReducer(['nope'], (n: number) => n, 0);
    // @ts-expect-error refetch must resolve to the state type
    hooks.useSseReducer(['counter'], (n: number) => n, 0, { refetch: async () => 'text' });
  });
});

describe('@app/sse-react/query', () => {
  it('types the update by the event name', () => {
    const { useSseQueryUpdate, useSseInvalidate } = createSseQueryHooks(hooks);
    useSseQueryUpdate('counter', ['count'], (previous: number | undefined, data) => {
      expectTypeOf(data).toEqualTypeOf<{ value: number }>();
      return (previous ?? 0) + data.value;
    });
    // @ts-expect-error counter's data has no name
    useSseQueryUpdate('counter', ['count'], (_previous: string | undefined, data) => data.name);
    useSseInvalidate(['user:joined'], ['users']);
    // @ts-expect-error not in the catalog
    useSseInvalidate(['user:renamed'], ['users']);
  });
});
