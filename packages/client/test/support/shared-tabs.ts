import { RESET_EVENT } from '@app/sse-protocol';
import { settleUntil } from '@app/test-utils';
import type { SetupServer } from 'msw/node';
import { expect } from 'vitest';
import type { ClientSnapshot, ClientState } from '../../src/client-api';
import { createDispatcher } from '../../src/dispatch';
import { SseClientError } from '../../src/errors';
import { createFetchTransport } from '../../src/fetch-transport';
import type { ElectionCallbacks } from '../../src/leader-election';
import { type ClientOptions, resolveOptions } from '../../src/options';
import { createReconnectLoop } from '../../src/reconnect-loop';
import { createSharedLoop } from '../../src/shared-loop';
import { closedSnapshot, createSnapshotStore } from '../../src/snapshot-store';
import { events, frame } from './catalog';
import { STREAM_URL } from './harness';
import { mockEndpoint } from './mock-endpoint';
import type { ShareHub } from './share-fakes';

/** An election the test drives: the tab leads, or loses the lead, when the test says. */
export function manualElection() {
  let callbacks: ElectionCallbacks | undefined;
  return {
    elect(_name: string, _tab: string, given: ElectionCallbacks) {
      callbacks = given;
      return {
        leave() {
          callbacks = undefined;
        },
      };
    },
    lead: () => callbacks?.lead(),
    follow: (stolen?: boolean) => callbacks?.follow(stolen),
  };
}

/**
 * A tab: the shared loop wired as `createClient` wires it, with what it delivers and reports
 * (elected by the fake locks, or with `manual` by the test).
 */
export function openTab(hub: ShareHub, options: Partial<ClientOptions<typeof events>> = {}, manual = false) {
  const resolved = resolveOptions({ url: STREAM_URL, events, share: true, random: () => 0, ...options });
  const delivered: string[] = [];
  const errors: string[] = [];
  const states: ClientState[] = [];
  const counts = { opened: 0, retrying: 0 };
  const store = createSnapshotStore(closedSnapshot(resolved.lastEventId), (error) => {
    throw error;
  });
  store.onState((state) => void states.push(state));
  const report = (error: SseClientError) => void errors.push(error.code);
  const dispatch = createDispatcher(
    events,
    true,
    {
      report,
      reset: (info) => void delivered.push(`reset:${info.reason}`),
      deliver: (name, _data, meta) => void delivered.push(`${meta.id}:${name}`),
      skipped: () => {},
      duplicate: () => {},
    },
    resolved.lastEventId,
  );
  const tab = hub.tab();
  const election = manualElection();
  const loop = createSharedLoop(
    resolved,
    store,
    createFetchTransport(),
    {
      dispatch,
      report,
      closed: (error) => void delivered.push(`closed:${error?.code ?? 'quietly'}`),
      received: () => {},
      opened: () => void counts.opened++,
      retrying: () => void counts.retrying++,
    },
    { createReconnectLoop, createSnapshotStore, SseClientError, resetEvent: RESET_EVENT },
    manual ? { ...tab.environment, elect: election.elect } : tab.environment,
  );
  loop.connect();
  const snapshot = (): ClientSnapshot => store.get();
  return { loop, store, delivered, errors, states, counts, tab, election, snapshot };
}

/** A `user:joined` frame with event ID `id`. */
export const joined = (id: string) => frame('user:joined', { userId: `u${id}`, name: 'Ada' }, id);

/**
 * Two tabs on one stream, both holding event 1: `a` leads, `b` follows.
 *
 * @param server - the msw server of the test file
 * @param hub - the tabs' channels and locks
 * @param manual - elections the test drives (`a` is made leader here)
 * @param options - client options of both tabs
 */
export async function twoTabsAfterOneEvent(
  server: SetupServer,
  hub: ShareHub,
  manual = false,
  options: Partial<ClientOptions<typeof events>> = {},
) {
  const endpoint = mockEndpoint(server, STREAM_URL);
  const a = openTab(hub, options, manual);
  if (manual) a.election.lead();
  const b = openTab(hub, options, manual);
  await settleUntil(() => expect(b.snapshot().state).toBe('open'));
  endpoint.latest.send(joined('1'));
  await settleUntil(() => expect(b.delivered).toEqual(['1:user:joined']));
  return { endpoint, hub, a, b };
}
