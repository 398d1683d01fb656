import type * as core from 'zod/v4/core';
import type { EventCatalog } from './catalog';
import { dataJsonSchema } from './fingerprint';
import { rebaseSchema } from './json-schema';
import { setOwn } from './schema-walk';

/** Options of {@link toAsyncAPI}. */
export interface AsyncApiOptions {
  /** The API's title. */
  title: string;
  /** The API's version (of the application, not of AsyncAPI). */
  version: string;
  /** The HTTP path of the event stream. @defaultValue `'/events'` */
  path?: string;
  /** A description of the API. */
  description?: string;
  /** Where the stream is served, e.g. `{ host: 'api.example.com', protocol: 'https' }`. */
  server?: { host: string; protocol?: 'http' | 'https' };
}

/** An AsyncAPI 3.0 document, as plain JSON. */
export type AsyncApiDocument = Record<string, unknown>;

// AsyncAPI component keys must match ^[a-zA-Z0-9.\-_]+$; event names may hold any other character.
function componentKey(name: string, taken: Set<string>): string {
  const base = name.replace(/[^a-zA-Z0-9.\-_]/g, '_') || 'event';
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  taken.add(key);
  return key;
}

/**
 * An AsyncAPI 3.0 document describing the event stream: one channel at `path`, a `send` operation
 * (the server sends; clients receive), and one message per event, named by its `event:` field, with
 * the JSON Schema of its data as payload.
 *
 * @param schemas - event name to zod schema
 * @param options - title, version, path and an optional server
 */
export function catalogAsyncApi(
  schemas: Readonly<Record<string, core.$ZodType>>,
  options: AsyncApiOptions,
): AsyncApiDocument {
  const taken = new Set<string>();
  const messages: Record<string, unknown> = {};
  const channelMessages: Record<string, unknown> = {};
  const operationMessages: unknown[] = [];
  for (const name of Object.keys(schemas)) {
    const key = componentKey(name, taken);
    const { $schema: _dialect, ...payload } = dataJsonSchema(schemas[name] as core.$ZodType, 'draft-7');
    setOwn(messages, key, {
      name,
      title: name,
      summary: `The "${name}" event (sent with \`event: ${name}\`).`,
      contentType: 'application/json',
      // Local references of a recursive or shared schema must point into this document.
      payload: rebaseSchema(payload, `#/components/messages/${key}/payload`),
    });
    setOwn(channelMessages, key, { $ref: `#/components/messages/${key}` });
    operationMessages.push({ $ref: `#/channels/events/messages/${key}` });
  }
  const document: AsyncApiDocument = {
    asyncapi: '3.0.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description === undefined ? {} : { description: options.description }),
    },
    defaultContentType: 'application/json',
    ...(options.server === undefined
      ? {}
      : {
          servers: { default: { host: options.server.host, protocol: options.server.protocol ?? 'https' } },
        }),
    channels: {
      events: {
        address: options.path ?? '/events',
        title: 'Event stream',
        description: 'A text/event-stream (Server-Sent Events) response; each message is one event.',
        messages: channelMessages,
      },
    },
    operations: {
      sendEvents: {
        action: 'send',
        title: 'Stream events',
        channel: { $ref: '#/channels/events' },
        messages: operationMessages,
      },
    },
    components: { messages },
  };
  return document;
}

/**
 * An AsyncAPI 3.0 document of a catalog's event stream (see {@link catalogAsyncApi} for its shape).
 *
 * @param catalog - a catalog made by `defineEvents`
 * @param options - title, version, path and an optional server
 *
 * @example
 * ```ts
 * const doc = toAsyncAPI(events, { title: 'Dashboard events', version: '1.0.0', path: '/events' });
 * ```
 */
export function toAsyncAPI(catalog: EventCatalog, options: AsyncApiOptions): AsyncApiDocument {
  return catalogAsyncApi(catalog.events, options);
}
