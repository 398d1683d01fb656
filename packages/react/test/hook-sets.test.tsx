// Several hook sets around clients: two sets on one client share its connection and its latest
// events; a component handed another client's set follows that client with every hook.
import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { createSseHooks, type SseHooks } from '../src/index';
import type { events } from './support/catalog';
import { liveClient, startServer } from './support/live-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two createSseHooks() calls on one client', () => {
  it('keep the stream open while a component of either set is mounted, and share the latest events', async () => {
    const server = await startServer();
    const client = liveClient(server);
    const appHooks = createSseHooks(client, { idleCloseMs: 20 });
    // A second module's own set, as the TanStack Query example of the README makes it.
    const otherHooks = createSseHooks(client, { idleCloseMs: 20 });
    function Badge() {
      const state = appHooks.useSseStatus((s) => s.state);
      const latest = appHooks.useSseLatest('counter');
      return <output data-testid="badge">{`${state} ${latest?.data.value ?? '-'}`}</output>;
    }
    function Widget() {
      const latest = otherHooks.useSseLatest('counter');
      return <output data-testid="widget">{latest?.data.value ?? '-'}</output>;
    }
    let setShow!: (show: boolean) => void;
    function App() {
      const [show, set] = useState(true);
      setShow = set;
      return (
        <>
          <Badge />
          {show && <Widget />}
        </>
      );
    }
    const view = render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
    await waitFor(() => expect(client.state).toBe('open'));
    await server.sse.broadcast('counter', { value: 1 });
    await waitFor(() => expect(screen.getByTestId('badge').textContent).toBe('open 1'));
    expect(screen.getByTestId('widget').textContent).toBe('1');
    // The other set's last component unmounts; the app's Badge stays.
    act(() => setShow(false));
    await sleep(200);
    expect(client.state).toBe('open');
    await server.sse.broadcast('counter', { value: 2 });
    await waitFor(() => expect(screen.getByTestId('badge').textContent).toBe('open 2'));
    // A component of the other set mounting later sees what the first set's store holds.
    act(() => setShow(true));
    expect(screen.getByTestId('widget').textContent).toBe('2');
    expect(server.opened()).toBe(1);
    // Once no component of either set is mounted, the stream is closed.
    view.unmount();
    await waitFor(() => expect(client.state).toBe('closed'));
  });

  it('let an unmanaged set count its components without opening or closing the stream', async () => {
    const server = await startServer();
    const client = liveClient(server);
    const managed = createSseHooks(client, { idleCloseMs: 20 });
    const manual = createSseHooks(client, { manageConnection: false });
    function Manual() {
      return <output data-testid="manual">{manual.useSseStatus((s) => s.state)}</output>;
    }
    function Managed() {
      managed.useSseConnection();
      return null;
    }
    const first = render(<Manual />);
    await sleep(50);
    expect(client.state).toBe('closed');
    const second = render(<Managed />);
    await waitFor(() => expect(client.state).toBe('open'));
    second.unmount();
    await sleep(200);
    // The manual set's component is still mounted: the managed set does not close under it.
    expect(screen.getByTestId('manual').textContent).toBe('open');
    first.unmount();
    await waitFor(() => expect(client.state).toBe('closed'));
  });
});

it('moves every hook of a component to the client whose hook set it is handed', async () => {
  const [serverA, serverB] = await Promise.all([startServer(), startServer()]);
  const clientA = liveClient(serverA);
  const clientB = liveClient(serverB);
  const hooksA = createSseHooks(clientA, { idleCloseMs: 0 });
  const hooksB = createSseHooks(clientB, { idleCloseMs: 0 });
  const pickState = (s: { state: string }) => s.state; // a stable, module-level selector
  const seen: string[] = [];
  function Panel({ hooks }: { hooks: SseHooks<typeof events> }) {
    hooks.useSseEvent('notification', (data) => void seen.push(data.message));
    const state = hooks.useSseStatus(pickState);
    const latest = hooks.useSseLatest('counter');
    const { state: sum } = hooks.useSseReducer(['counter'], (n: number, event) => n + event.data.value, 0);
    return <output data-testid="panel">{`${state}|${latest?.data.value ?? '-'}|${sum}`}</output>;
  }
  let setUser!: (user: 'a' | 'b') => void;
  function App() {
    const [user, set] = useState<'a' | 'b'>('a');
    setUser = set;
    return <Panel hooks={user === 'a' ? hooksA : hooksB} />;
  }
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  await waitFor(() => expect(clientA.state).toBe('open'));
  await serverA.sse.broadcast('counter', { value: 1 });
  await waitFor(() => expect(screen.getByTestId('panel').textContent).toBe('open|1|1'));
  act(() => setUser('b'));
  await waitFor(() => expect(clientB.state).toBe('open'));
  await waitFor(() => expect(clientA.state).toBe('closed'));
  await serverB.sse.broadcast('notification', { message: 'from B', severity: 'info' });
  await serverB.sse.broadcast('counter', { value: 10 });
  // The reducer keeps its state and folds the new client's events on top.
  await waitFor(() => expect(screen.getByTestId('panel').textContent).toBe('open|10|11'));
  expect(seen).toEqual(['from B']);
});
