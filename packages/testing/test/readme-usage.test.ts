// The README's Usage example, run as written on both transports (and, through the package's two
// Vitest configurations, in Node and in jsdom). The last test checks that the README still shows
// this very test.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@app/sse-client';
import { EventSource } from 'eventsource';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mockEventStream } from '../src/index';
import { events } from './catalog';

describe.each(['http', 'sse'] as const)("the README's Usage example on the %s transport", (transport) => {
  // msw's sse() needs a global EventSource only while the handler is made.
  if (transport === 'sse') vi.stubGlobal('EventSource', EventSource);
  const stream = mockEventStream(events, 'http://localhost/events', { transport });
  vi.unstubAllGlobals();
  const server = setupServer(...stream.handlers);
  beforeAll(() => server.listen());
  afterAll(() => server.close());

  it('uses the transport asked for', () => {
    expect(stream.handlers[1]?.constructor.name).toBe(
      transport === 'sse' ? 'ServerSentEventHandler' : 'HttpHandler',
    );
  });

  // README:begin
  it('resumes after a dropped connection', async () => {
    const client = createClient({ url: 'http://localhost/events', events });
    const seen: string[] = [];
    client.on('notification', (data) => seen.push(data.message));
    await stream.waitForConnection(0);

    const id = stream.send('notification', { message: 'one', severity: 'info' }); // typed, validated
    stream.drop(); // cut mid-stream: the client reconnects
    stream.send('notification', { message: 'two', severity: 'info' }); // replayed on resume

    expect((await stream.waitForConnection(1)).lastEventId).toBe(id);
    await vi.waitFor(() => expect(seen).toEqual(['one', 'two']));
    client.close();
  });
  // README:end
});

it('is the example the README shows', () => {
  // Paths through node:path: jsdom's URL does not resolve relative file: URLs.
  const file = fileURLToPath(import.meta.url);
  const own = readFileSync(file, 'utf8');
  const readme = readFileSync(join(dirname(file), '..', 'README.md'), 'utf8');
  const region = own.slice(own.indexOf('  // README:begin\n'), own.indexOf('  // README:end\n'));
  const example = region
    .split('\n')
    .slice(1)
    .map((line) => line.slice(2))
    .join('\n');
  expect(example).toContain("it('resumes after a dropped connection'");
  expect(readme).toContain(example);
});
