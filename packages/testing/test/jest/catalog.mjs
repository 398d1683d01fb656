// The catalog and a recording client both suites use.
import { createClient } from '@app/sse-client';
import { defineEvents } from '@app/sse-protocol';
import { z } from 'zod';

export const URL = 'http://api.test/events';
export const events = defineEvents({
  notification: z.object({ message: z.string(), severity: z.enum(['info', 'warning', 'error']) }),
});

/** A client of the mocked stream recording the messages, resets and errors it got. */
export function recordingClient() {
  const client = createClient({ url: URL, events, backoff: { initialMs: 10 } });
  const received = [];
  const resets = [];
  const errors = [];
  client.on('notification', (data) => received.push(data.message));
  client.onReset((info) => resets.push(info.reason));
  client.onError((error) => errors.push(error.code));
  return { client, received, resets, errors };
}
