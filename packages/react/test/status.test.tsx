import { createClient } from '@app/sse-client';
import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { createSseHooks } from '../src/index';
import { events } from './support/catalog';
import { liveClient, startServer } from './support/live-server';

describe('useSseStatus', () => {
  it('opens one stream under StrictMode and shows the state', async () => {
    const server = await startServer();
    const { useSseStatus } = createSseHooks(liveClient(server));
    function Badge() {
      const state = useSseStatus((s) => s.state);
      return <output data-testid="badge">{state}</output>;
    }
    render(
      <StrictMode>
        <Badge />
        <Badge />
      </StrictMode>,
    );
    await waitFor(() =>
      expect(screen.getAllByTestId('badge').map((b) => b.textContent)).toEqual(['open', 'open']),
    );
    expect({ opened: server.opened(), open: server.openStreams() }).toEqual({ opened: 1, open: 1 });
  });

  it('re-renders a selected part only when it changes, not on every event', async () => {
    const server = await startServer();
    const client = liveClient(server);
    const { useSseStatus, useSseLatest } = createSseHooks(client);
    const renders = { badge: 0, full: 0 };
    function Badge() {
      renders.badge += 1;
      return <output data-testid="badge">{useSseStatus((s) => s.state)}</output>;
    }
    function Full() {
      renders.full += 1;
      const { state, attempt } = useSseStatus();
      return <output data-testid="full">{`${state}/${attempt}`}</output>;
    }
    function Counter() {
      return <output data-testid="counter">{useSseLatest('counter')?.data.value ?? '-'}</output>;
    }
    render(
      <StrictMode>
        <Badge />
        <Full />
        <Counter />
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getByTestId('full').textContent).toBe('open/0'));
    const before = { ...renders };
    for (let value = 1; value <= 20; value += 1) await server.sse.broadcast('counter', { value });
    await waitFor(() => expect(screen.getByTestId('counter').textContent).toBe('20'));
    expect(client.getSnapshot().lastEventId).not.toBe('');
    expect(renders).toEqual(before);
  });

  it('renders a constant snapshot on the server, without connecting or resolving a relative URL', () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const client = createClient({ url: '/events', events, autoConnect: false, fetch });
    const { useSseStatus, useSseLatest } = createSseHooks(client);
    function Page() {
      const status = useSseStatus();
      const latest = useSseLatest('notification');
      return (
        <p>{`${status.state} ${status.clientId ?? 'none'} ${latest === undefined ? 'empty' : 'full'}`}</p>
      );
    }
    const html = renderToString(
      <StrictMode>
        <Page />
      </StrictMode>,
    );
    expect({ html, fetched: fetch.mock.calls.length, state: client.state }).toEqual({
      html: '<p>connecting none empty</p>',
      fetched: 0,
      state: 'closed',
    });
  });

  it('follows the state through a server shutdown and back', async () => {
    const server = await startServer();
    const client = liveClient(server);
    const { useSseStatus } = createSseHooks(client);
    const seen: string[] = [];
    function Badge() {
      const state = useSseStatus((s) => s.state);
      if (seen.at(-1) !== state) seen.push(state);
      return <output data-testid="badge">{state}</output>;
    }
    render(<Badge />);
    await waitFor(() => expect(screen.getByTestId('badge').textContent).toBe('open'));
    await act(async () => client.close());
    expect(screen.getByTestId('badge').textContent).toBe('closed');
    expect(seen).toEqual(['closed', 'connecting', 'open', 'closed']);
  });
});
