import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { appEvents } from '../test/app-events';
import {
  defineEvents,
  type EventCatalog,
  type EventData,
  type EventInput,
  type EventName,
  type EventUnion,
  type SafeParseEventResult,
} from './index';

type App = typeof appEvents;

describe('catalog types', () => {
  it('EventName is the union of the catalog names', () => {
    expectTypeOf<EventName<App>>().toEqualTypeOf<
      'user:joined' | 'user:left' | 'notification' | 'cart:updated'
    >();
    expectTypeOf(appEvents.names).toEqualTypeOf<readonly EventName<App>[]>();
  });

  it('EventData is the parsed data type of one event', () => {
    expectTypeOf<EventData<App, 'user:joined'>>().toEqualTypeOf<{ userId: string; name: string }>();
    expectTypeOf<EventData<App, 'notification'>>().toEqualTypeOf<{
      message: string;
      severity: 'info' | 'warning' | 'error';
    }>();
    expectTypeOf<EventData<App, 'cart:updated'>>().toEqualTypeOf<{
      items: { name: string; qty: number }[];
      coupon?: string | undefined;
    }>();
  });

  it('EventInput differs from EventData where a schema transforms or defaults', () => {
    const catalog = defineEvents({
      tick: z.object({ at: z.string().transform(Number), n: z.number().default(1) }),
    });
    type C = typeof catalog;
    expectTypeOf<EventInput<C, 'tick'>>().toEqualTypeOf<{ at: string; n?: number | undefined }>();
    expectTypeOf<EventData<C, 'tick'>>().toEqualTypeOf<{ at: number; n: number }>();
    expectTypeOf(catalog.parse('tick', {})).toEqualTypeOf<{ at: number; n: number }>();
  });

  it('EventUnion is the { type, data } union, narrowed by type', () => {
    expectTypeOf<EventUnion<App>>().toEqualTypeOf<
      | { type: 'user:joined'; data: { userId: string; name: string } }
      | { type: 'user:left'; data: { userId: string } }
      | { type: 'notification'; data: { message: string; severity: 'info' | 'warning' | 'error' } }
      | {
          type: 'cart:updated';
          data: { items: { name: string; qty: number }[]; coupon?: string | undefined };
        }
    >();
    const handle = (event: EventUnion<App>): string => {
      if (event.type === 'notification') {
        expectTypeOf(event.data).toEqualTypeOf<EventData<App, 'notification'>>();
        return event.data.severity;
      }
      if (event.type === 'user:left') {
        expectTypeOf(event.data).toEqualTypeOf<{ userId: string }>();
        // @ts-expect-error `name` belongs to user:joined, not user:left
        return event.data.name;
      }
      return event.type;
    };
    expectTypeOf(handle).returns.toBeString();
    expectTypeOf(appEvents.schema.parse({})).toEqualTypeOf<EventUnion<App>>();
  });

  it('parse and safeParse are typed by the event name', () => {
    expectTypeOf(appEvents.parse('user:left', {})).toEqualTypeOf<{ userId: string }>();
    expectTypeOf(appEvents.safeParse('user:left', {})).toEqualTypeOf<
      SafeParseEventResult<{ userId: string }>
    >();
    const result = appEvents.safeParse('notification', {});
    if (result.success) expectTypeOf(result.data.severity).toEqualTypeOf<'info' | 'warning' | 'error'>();
    else expectTypeOf(result.error.paths).toEqualTypeOf<readonly string[]>();
  });

  it('a wrong event name does not compile', () => {
    // @ts-expect-error 'nope' is not an event of the catalog
    appEvents.parse('nope', {});
    // @ts-expect-error 'nope' is not an event of the catalog
    appEvents.safeParse('nope', {});
    // @ts-expect-error 'nope' is not an event of the catalog
    type _Wrong = EventData<App, 'nope'>;
    // @ts-expect-error 'user-joined' is not 'user:joined'
    const _name: EventName<App> = 'user-joined';
  });

  it('a wrong payload does not compile', () => {
    // @ts-expect-error userId must be a string
    const _wrongType: EventData<App, 'user:joined'> = { userId: 1, name: 'Ada' };
    // @ts-expect-error name is required
    const _missing: EventData<App, 'user:joined'> = { userId: 'u1' };
    // @ts-expect-error 'fatal' is not a severity
    const _badEnum: EventInput<App, 'notification'> = { message: 'm', severity: 'fatal' };
    // @ts-expect-error the data of user:left does not fit user:joined
    const _mismatch: EventUnion<App> = { type: 'user:joined', data: { userId: 'u1' } };
  });

  it('has() narrows a string to the catalog names', () => {
    const name: string = 'user:left';
    if (appEvents.has(name)) expectTypeOf(name).toEqualTypeOf<EventName<App>>();
  });

  it('a catalog is assignable to the generic EventCatalog', () => {
    expectTypeOf(appEvents).toMatchTypeOf<EventCatalog>();
  });
});
