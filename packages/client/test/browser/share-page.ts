// The page of the cross-tab sharing tests: a client with `share`, whose events, state and role
// the test reads from `window.shareTest`.
import { createClient, type SseClientError } from '@app/sse-client';
import { events } from '../support/catalog';

const params = new URLSearchParams(location.search);
const user = params.get('user') ?? 'ada';
const received: string[] = [];
const errors: string[] = [];
const resets: string[] = [];
const client = createClient({
  url: `/events?user=${encodeURIComponent(user)}`,
  events,
  share: { key: `user:${user}` },
  backoff: { initialMs: 50, maxMs: 200 },
  ...(params.has('from') ? { lastEventId: params.get('from') ?? '' } : {}),
});
client.on('notification', (data, meta) => {
  received.push(`${meta.id}:${data.message}`);
});
client.onReset((info) => {
  resets.push(info.reason);
});
client.onError((error: SseClientError) => {
  errors.push(`${error.code}: ${error.message}`);
});

/** What the test reads and drives. */
const shareTest = {
  received,
  errors,
  resets,
  client,
  role: () => client.getSnapshot().role,
  state: () => client.state,
  lastEventId: () => client.lastEventId,
};
/** The page's test handle, at `globalThis.shareTest`. */
export type ShareTest = typeof shareTest;
(globalThis as unknown as { shareTest: ShareTest }).shareTest = shareTest;
