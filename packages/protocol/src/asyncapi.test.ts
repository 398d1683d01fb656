import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appEvents } from '../test/app-events';
import { toAsyncAPI } from './contract-index';
import { defineEvents } from './index';

// The official AsyncAPI parser validates against the AsyncAPI 3 JSON Schema and its rule set. It is
// slow (about a second a document), so each document is validated once and the rest is read from it.
const parser = new Parser();
const errorsOf = (
  diagnostics: { severity: DiagnosticSeverity; path: (string | number)[]; message: string }[],
) =>
  diagnostics
    .filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error)
    .map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`);

const Node = z.object({
  name: z.string(),
  get children() {
    return z.array(Node);
  },
});
const Money = z.object({ amount: z.number(), currency: z.string() }).meta({ id: 'Money' });

describe('catalog.toAsyncAPI', () => {
  const options = {
    title: 'Dashboard events',
    version: '2.1.0',
    path: '/api/stream',
    description: 'Live dashboard',
    server: { host: 'api.example.com' },
  };
  const document = toAsyncAPI(appEvents, options);

  it('is a valid AsyncAPI 3.0 document', async () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(errorsOf(await parser.validate(JSON.stringify(document)))).toEqual([]);
  }, 30_000);

  it('describes one channel at the path, a send operation, and one message per event with its payload', () => {
    expect(document.info).toEqual({
      title: 'Dashboard events',
      version: '2.1.0',
      description: 'Live dashboard',
    });
    expect(document.servers).toEqual({ default: { host: 'api.example.com', protocol: 'https' } });
    const { channels, operations, components } = document as {
      channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
      operations: Record<string, { action: string; channel: { $ref: string }; messages: { $ref: string }[] }>;
      components: { messages: Record<string, { name: string; contentType: string; payload: unknown }> };
    };
    expect(Object.values(channels).map((channel) => channel.address)).toEqual(['/api/stream']);
    expect(Object.values(operations).map((operation) => operation.action)).toEqual(['send']);
    expect(Object.values(components.messages).map((message) => message.name)).toEqual(appEvents.names);
    const notification = Object.values(components.messages).find(
      (message) => message.name === 'notification',
    );
    expect(notification?.contentType).toBe('application/json');
    expect(notification?.payload).toEqual({
      type: 'object',
      properties: {
        message: { type: 'string' },
        severity: { type: 'string', enum: ['info', 'warning', 'error'] },
      },
      required: ['message', 'severity'],
      additionalProperties: false,
    });
  });

  it('defaults the path to /events, the server protocol to https, and has no server unless asked', () => {
    const minimal = toAsyncAPI(appEvents, { title: 't', version: '1' });
    expect((minimal.channels as Record<string, { address: string }>).events?.address).toBe('/events');
    expect(minimal).not.toHaveProperty('servers');
    expect(minimal.info).toEqual({ title: 't', version: '1' });
    const plain = toAsyncAPI(appEvents, {
      title: 't',
      version: '1',
      server: { host: 'localhost:3000', protocol: 'http' },
    });
    expect(plain.servers).toEqual({ default: { host: 'localhost:3000', protocol: 'http' } });
  });

  it('keeps an event named __proto__', () => {
    const raw = toAsyncAPI(defineEvents({ ['__proto__']: z.object({ a: z.string() }) }), {
      title: 't',
      version: '1',
    });
    const messages = (raw.components as { messages: Record<string, { name: string }> }).messages;
    expect(Object.keys(messages)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(messages, '__proto__')?.value).toMatchObject({
      name: '__proto__',
    });
  });

  it('gives every event a valid, distinct component key, and resolves recursive and shared schemas', async () => {
    const catalog = defineEvents({
      'orders/created': z.object({ total: Money, refund: Money.optional() }),
      'a b': z.object({ tree: Node }),
      a_b: z.object({ n: z.number() }),
      'événement 😀': z.object({ ok: z.boolean() }),
    });
    const raw = toAsyncAPI(catalog, { title: 't', version: '1' });
    const keys = Object.keys((raw.components as { messages: object }).messages);
    expect(new Set(keys).size).toBe(4);
    for (const key of keys) expect(key).toMatch(/^[a-zA-Z0-9.\-_]+$/);

    const result = await parser.parse(JSON.stringify(raw));
    expect(errorsOf(result.diagnostics)).toEqual([]);
    const messages = result.document?.messages().all() ?? [];
    expect(messages.map((message) => message.name())).toEqual(catalog.names);
    // The recursive reference resolves to the node schema itself, not to the document root.
    const tree = messages
      .find((message) => message.name() === 'a b')
      ?.payload()
      ?.properties()?.tree;
    const child = tree?.properties()?.children?.items();
    expect(child === undefined || Array.isArray(child) ? undefined : child.properties()?.name?.type()).toBe(
      'string',
    );
    const orders = messages.find((message) => message.name() === 'orders/created')?.payload();
    expect(orders?.properties()?.total?.properties()?.currency?.type()).toBe('string');
    expect(orders?.properties()?.refund?.allOf()?.[0]?.properties()?.currency?.type()).toBe('string');
  }, 30_000);
});
