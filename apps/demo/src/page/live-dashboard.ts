import { createClient, type SseClient } from '@app/sse-client';
import { ROUTES, USER_HEADER, USER_QUERY } from '../api-contract';
import { type DashboardCatalog, type DashboardEvent, events } from '../catalog';
import { applyEvent, createDashboardState, type DashboardState, fromSnapshot } from '../dashboard-state';
import type { DashboardSnapshot } from '../snapshot';
import { createConnectionBadge } from './connection-badge';
import { fetchSnapshot, simulateOutage } from './dashboard-api';
import { byTestId } from './element';
import { appendLog, summarize } from './event-log';
import { renderJobs } from './jobs-panel';
import { renderMetrics } from './metrics-panel';
import { renderNotifications } from './notifications-panel';
import type { PageOptions } from './page-options';
import { renderPresence } from './presence-panel';
import { showReset } from './reset-banner';

/** Which card an event changes, so one event re-renders one card. */
const RENDERERS: Record<DashboardEvent['type'], (state: DashboardState, me: string) => void> = {
  'user:joined': renderPresence,
  'user:left': renderPresence,
  notification: renderNotifications,
  metrics: (state, me) => {
    renderMetrics(state);
    renderPresence(state, me); // keeps "joined 12 s ago" current
  },
  'job:started': renderJobs,
  'job:progress': renderJobs,
  'job:done': renderJobs,
  'stream:opened': () => {}, // changes no card (see `showInstance`)
};

/** Shows which instance holds this tab's stream (a scale-out demo tells each stream). */
function showInstance(instance: string): void {
  const element = byTestId('instance');
  element.textContent = `instance ${instance} ·`;
  element.hidden = false;
}

function renderAll(state: DashboardState, me: string): void {
  renderPresence(state, me);
  renderNotifications(state, me);
  renderJobs(state);
  renderMetrics(state);
}

/**
 * Wires "Simulate a 5 s outage": enabled while the stream is open. In a scale-out demo it takes
 * down the instance holding this tab's stream, so the tab moves to another.
 */
function setUpOutageButton(client: SseClient<DashboardCatalog>, instance: () => string | undefined): void {
  const button = byTestId<HTMLButtonElement>('simulate-outage');
  const update = () => {
    button.disabled = client.state !== 'open';
  };
  client.subscribe(update);
  update();
  button.addEventListener('click', () => {
    button.disabled = true;
    simulateOutage(5, instance()).catch((error: unknown) =>
      appendLog({ name: 'outage', id: '', summary: `refused: ${String(error)}`, kind: 'system' }),
    );
  });
}

/** Fetches the snapshot again after a reset, trying a few times if the server is still starting. */
async function reloadSnapshot(me: string): Promise<DashboardSnapshot | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetchSnapshot(me);
    } catch (error) {
      if (attempt === 3) {
        appendLog({
          name: 'state',
          id: '',
          summary: `could not reload the state: ${String(error)}`,
          kind: 'system',
        });
        return undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

/**
 * Runs the dashboard: loads the user's snapshot, then opens the event stream from the snapshot's
 * last event ID, so nothing between the two is missed. Events update the model through the same
 * reducer the server uses; an `sse:reset` reloads the snapshot, and the events that arrive while
 * it loads are applied on top of it (the reducer is idempotent, so overlap is harmless).
 *
 * @param options - the user and transport from the URL
 * @returns the client, for closing it when the page goes away
 */
export async function startLiveDashboard(options: PageOptions): Promise<SseClient<DashboardCatalog>> {
  const me = options.user.id;
  let state = createDashboardState();
  let snapshot: DashboardSnapshot | undefined;
  try {
    snapshot = await fetchSnapshot(me);
    state = fromSnapshot(snapshot);
  } catch (error) {
    appendLog({
      name: 'state',
      id: '',
      summary: `could not load the state: ${String(error)}`,
      kind: 'system',
    });
  }
  renderAll(state, me);

  const client = createClient({
    url: `${ROUTES.events}?${USER_QUERY}=${encodeURIComponent(me)}`,
    events,
    transport: options.transport,
    // A dashboard should be back within seconds of its server: reconnection waits are capped at
    // 5 s (the default cap, 30 s, suits clients of a public service that must not stampede it).
    backoff: { maxMs: 5000 },
    // The fetch transport can send headers; the native EventSource relies on the query parameter.
    ...(options.transport === 'fetch' ? { headers: { [USER_HEADER]: me } } : {}),
    ...(snapshot?.lastEventId ? { lastEventId: snapshot.lastEventId } : {}),
    // The user's tabs share one stream: one tab holds it, the others get its events (and a tab
    // opened later catches up from its snapshot's ID on the stream the others hold).
    share: options.share,
  });

  const badge = createConnectionBadge(() => client.getSnapshot(), options.transport);
  client.subscribe(badge.update);
  let instance: string | undefined;
  setUpOutageButton(client, () => instance);
  client.onState((connection) =>
    appendLog({ name: 'connection', id: '', summary: connection, kind: 'system' }),
  );
  client.onError((error) =>
    appendLog({ name: `error: ${error.code}`, id: '', summary: error.message, kind: 'system' }),
  );

  // While a snapshot reloads, events wait in `pending`, then apply on top of the new snapshot. A
  // newer reset supersedes a reload in flight (`generation`), and its events keep waiting.
  let pending: DashboardEvent[] | undefined;
  let generation = 0;
  client.onReset(async (info) => {
    appendLog({ name: 'sse:reset', id: '', summary: summarize(info), kind: 'system' });
    showReset(info);
    const current = ++generation;
    pending ??= [];
    const snapshot = await reloadSnapshot(me);
    if (current !== generation) return;
    if (snapshot) state = fromSnapshot(snapshot);
    for (const event of pending) applyEvent(state, event);
    pending = undefined;
    renderAll(state, me);
  });

  void (async () => {
    for await (const event of client.stream()) {
      appendLog({ name: event.type, id: event.id, summary: summarize(event.data), kind: 'event' });
      if (event.type === 'stream:opened') {
        instance = event.data.instance;
        showInstance(instance);
      } else if (pending) {
        pending.push(event);
      } else if (applyEvent(state, event)) {
        RENDERERS[event.type](state, me);
      }
    }
  })().catch((error: unknown) =>
    appendLog({ name: 'stream', id: '', summary: `stopped: ${String(error)}`, kind: 'system' }),
  );

  return client;
}
