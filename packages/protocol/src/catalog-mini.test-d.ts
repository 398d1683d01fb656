import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod/mini';
import { appEventsMini } from '../test/app-events-mini';
import {
  defineEvents,
  type EventCatalog,
  type EventData,
  type EventInput,
  type EventName,
  type EventUnion,
  type SafeParseEventResult,
} from './index';

type Mini = typeof appEventsMini;

describe('catalog types with zod/mini schemas', () => {
  it('EventName and EventData come from the mini schemas', () => {
    expectTypeOf<EventName<Mini>>().toEqualTypeOf<
      'user:joined' | 'user:left' | 'notification' | 'cart:updated'
    >();
    expectTypeOf<EventData<Mini, 'notification'>>().toEqualTypeOf<{
      message: string;
      severity: 'info' | 'warning' | 'error';
    }>();
    expectTypeOf<EventData<Mini, 'cart:updated'>>().toEqualTypeOf<{
      items: { name: string; qty: number }[];
      coupon?: string | undefined;
    }>();
  });

  it('EventInput and EventData differ where a mini schema transforms or defaults', () => {
    const catalog = defineEvents({
      tick: z.object({
        at: z.pipe(
          z.string(),
          z.transform((s: string) => Number(s)),
        ),
        n: z._default(z.number(), 1),
      }),
    });
    type C = typeof catalog;
    expectTypeOf<EventInput<C, 'tick'>>().toEqualTypeOf<{ at: string; n?: number | undefined }>();
    expectTypeOf<EventData<C, 'tick'>>().toEqualTypeOf<{ at: number; n: number }>();
  });

  it('parse, safeParse and the union schema are typed', () => {
    expectTypeOf(appEventsMini.parse('user:left', {})).toEqualTypeOf<{ userId: string }>();
    expectTypeOf(appEventsMini.safeParse('user:left', {})).toEqualTypeOf<
      SafeParseEventResult<{ userId: string }>
    >();
    expectTypeOf(appEventsMini.schema.parse({})).toEqualTypeOf<EventUnion<Mini>>();
  });

  it('a wrong name or payload does not compile', () => {
    // @ts-expect-error 'nope' is not an event of the catalog
    appEventsMini.parse('nope', {});
    // @ts-expect-error userId must be a string
    const _wrongType: EventData<Mini, 'user:joined'> = { userId: 1, name: 'Ada' };
    // @ts-expect-error the data of user:left does not fit user:joined
    const _mismatch: EventUnion<Mini> = { type: 'user:joined', data: { userId: 'u1' } };
  });

  it('a mini catalog is assignable to the generic EventCatalog', () => {
    expectTypeOf(appEventsMini).toMatchTypeOf<EventCatalog>();
  });
});
