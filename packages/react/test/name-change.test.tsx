import type { SseClient } from '@app/sse-client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { type ReactNode, useLayoutEffect } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { createSseHooks } from '../src/index';
import { createSseQueryHooks } from '../src/query';
import type { events } from './support/catalog';
import { liveClient, startServer } from './support/live-server';

type Client = SseClient<typeof events>;
type Listener = (data: unknown, meta: { id: string; event: string }) => void;

/**
 * A client whose registrations are recorded, so that a test can call the listener a hook
 * registered for a name exactly when the client would: here, in the gap between the commit of a
 * render with another name (its layout effects) and the effect that replaces the registration.
 * React 19 runs that effect in a task of its own, and an event from the network can come first.
 */
async function recordedClient(): Promise<{ client: Client; registeredFor: (name: Name) => Listener }> {
  const client = liveClient(await startServer());
  const on = vi.spyOn(client, 'on');
  const registeredFor = (name: Name): Listener => {
    const call = on.mock.calls.findLast(([registered]) => registered === name);
    if (call === undefined) throw new Error(`nothing registered for ${name}`);
    return call[1] as Listener;
  };
  return { client, registeredFor };
}

/** Runs `effect` in the layout phase of the render it is part of: after the commit, before effects. */
function DuringCommit({ effect }: { effect: () => void }) {
  useLayoutEffect(effect);
  return null;
}

type Name = 'notification' | 'user:left';

/**
 * Renders `view` for `notification`, then for `user:left`; in the commit of the second render, the
 * listener registered for `notification` gets an event. Then the new registration gets one.
 */
function switchNameDuringAnEvent(
  registeredFor: (name: Name) => Listener,
  view: (name: Name) => ReactNode,
): void {
  const { rerender } = render(view('notification'));
  const old = registeredFor('notification');
  const notification = { message: 'for the old name', severity: 'info' };
  rerender(
    <>
      {view('user:left')}
      <DuringCommit effect={() => old(notification, { id: 'e1', event: 'notification' })} />
    </>,
  );
  registeredFor('user:left')({ userId: 'u1' }, { id: 'e2', event: 'user:left' });
}

describe('a hook whose event name changes', () => {
  it('useSseEvent: an event of the old name, in the commit gap, never reaches the handler of the new one', async () => {
    const { client, registeredFor } = await recordedClient();
    const { useSseEvent } = createSseHooks(client);
    const seen: string[] = [];
    function Listener({ name }: { name: Name }) {
      useSseEvent(name, (_data, meta) => void seen.push(`${name} handler got ${meta.event}`));
      return null;
    }
    switchNameDuringAnEvent(registeredFor, (name) => <Listener name={name} />);
    expect(seen).toEqual(['user:left handler got user:left']);
  });

  it('useSseReducer: the reducer of the new names never folds an event of the old ones', async () => {
    const { client, registeredFor } = await recordedClient();
    const { useSseReducer } = createSseHooks(client);
    const folded: string[] = [];
    function Tally({ name }: { name: Name }) {
      useSseReducer(
        [name],
        (count: number, event) => {
          folded.push(`${name} reducer folded ${event.type}`);
          return count + 1;
        },
        0,
      );
      return null;
    }
    switchNameDuringAnEvent(registeredFor, (name) => <Tally name={name} />);
    await vi.waitFor(() => expect(folded).toContain('user:left reducer folded user:left'));
    expect(folded.filter((line) => line.endsWith('notification'))).toEqual([]);
  });

  it('useSseQueryUpdate: the updater of the new name never gets an event of the old one', async () => {
    const { client, registeredFor } = await recordedClient();
    const { useSseQueryUpdate } = createSseQueryHooks(createSseHooks(client));
    const queryClient = new QueryClient();
    const updated: string[] = [];
    function Updater({ name }: { name: Name }) {
      useSseQueryUpdate(name, ['feed'], (previous: string[] | undefined, _data, meta) => {
        updated.push(`${name} updater got ${meta.event}`);
        return previous;
      });
      return null;
    }
    switchNameDuringAnEvent(registeredFor, (name) => (
      <QueryClientProvider client={queryClient}>
        <Updater name={name} />
      </QueryClientProvider>
    ));
    expect(updated).toEqual(['user:left updater got user:left']);
  });
});
