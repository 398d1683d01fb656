import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { createSseHooks } from '../src/index';
import { liveClient, startServer } from './support/live-server';

describe('the shared connection', () => {
  it('survives a fast remount without a second stream or a lost event, and closes once idle', async () => {
    const server = await startServer();
    const client = liveClient(server);
    const { useSseReducer } = createSseHooks(client, { idleCloseMs: 50 });
    function Sum({ id }: { id: string }) {
      const { state } = useSseReducer(['counter'], (sum: number, event) => sum + event.data.value, 0);
      return <output data-testid={id}>{state}</output>;
    }
    const { rerender, unmount } = render(
      <StrictMode>
        <Sum key="a" id="a" />
      </StrictMode>,
    );
    await waitFor(() => expect(client.state).toBe('open'));
    await server.sse.broadcast('counter', { value: 1 });
    await waitFor(() => expect(screen.getByTestId('a').textContent).toBe('1'));
    // A new key unmounts the old component and mounts a new one in the same commit.
    rerender(
      <StrictMode>
        <Sum key="b" id="b" />
      </StrictMode>,
    );
    await server.sse.broadcast('counter', { value: 2 });
    await waitFor(() => expect(screen.getByTestId('b').textContent).toBe('2'));
    expect({ opened: server.opened(), state: client.state }).toEqual({ opened: 1, state: 'open' });
    unmount();
    await waitFor(() => expect(client.state).toBe('closed'));
    await waitFor(() => expect(server.openStreams()).toBe(0));
  });

  it('leaves the connection alone with manageConnection: false', async () => {
    const server = await startServer();
    const client = liveClient(server);
    const { useSseStatus } = createSseHooks(client, { manageConnection: false });
    function Badge() {
      return <output data-testid="badge">{useSseStatus((s) => s.state)}</output>;
    }
    render(<Badge />);
    expect(screen.getByTestId('badge').textContent).toBe('closed');
    act(() => client.connect());
    await waitFor(() => expect(screen.getByTestId('badge').textContent).toBe('open'));
  });

  it('refuses what is not a client and a bad idleCloseMs', () => {
    const server = { subscribe: 1 } as never;
    expect(() => createSseHooks(server)).toThrow(/createSseHooks\(\) takes a client/);
    expect(() =>
      createSseHooks({ subscribe() {}, getSnapshot() {}, on() {} } as never, { idleCloseMs: -1 }),
    ).toThrow(RangeError);
  });
});
