import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { createSseHooks } from '../src/index';
import { liveClient, startServer } from './support/live-server';

type Roster = readonly string[];

describe('useSseReducer', () => {
  it('folds several event types in order', async () => {
    const server = await startServer();
    const { useSseReducer } = createSseHooks(liveClient(server));
    function Online() {
      const { state } = useSseReducer(
        ['user:joined', 'user:left'],
        (users: Roster, event) =>
          event.type === 'user:joined'
            ? [...users, event.data.userId]
            : users.filter((user) => user !== event.data.userId),
        () => [],
      );
      return <output data-testid="online">{state.join(',')}</output>;
    }
    render(
      <StrictMode>
        <Online />
      </StrictMode>,
    );
    await waitFor(() => expect(server.openStreams()).toBe(1));
    await server.sse.broadcast('user:joined', { userId: 'u1', name: 'Ada' });
    await server.sse.broadcast('user:joined', { userId: 'u2', name: 'Grace' });
    await server.sse.broadcast('user:left', { userId: 'u1' });
    await waitFor(() => expect(screen.getByTestId('online').textContent).toBe('u2'));
  });

  it('goes back to the initial state on sse:reset', async () => {
    const server = await startServer();
    // An ID of another epoch: the server cannot replay from it and answers with sse:reset.
    const client = liveClient(server, { lastEventId: 'gone-7' });
    const { useSseReducer } = createSseHooks(client);
    const resets: string[] = [];
    client.onReset((info) => void resets.push(info.reason));
    function Sum() {
      const { state } = useSseReducer(['counter'], (sum: number, event) => sum + event.data.value, 100);
      return <output data-testid="sum">{state}</output>;
    }
    render(
      <StrictMode>
        <Sum />
      </StrictMode>,
    );
    await waitFor(() => expect(resets).toEqual(['epoch-changed']));
    await server.sse.broadcast('counter', { value: 5 });
    await waitFor(() => expect(screen.getByTestId('sum').textContent).toBe('105'));
  });

  it('refetches on sse:reset and folds the events that arrived meanwhile on top', async () => {
    const server = await startServer();
    const client = liveClient(server, { lastEventId: 'gone-7' });
    const { useSseReducer } = createSseHooks(client);
    let answer!: (state: number) => void;
    const refetches: string[] = [];
    function Sum() {
      const { state, refetching } = useSseReducer(
        ['counter'],
        (sum: number, event) => sum + event.data.value,
        0,
        {
          refetch: (info) => {
            refetches.push(info.reason);
            return new Promise<number>((resolve) => {
              answer = resolve;
            });
          },
        },
      );
      return <output data-testid="sum">{refetching ? `refetching ${state}` : String(state)}</output>;
    }
    render(
      <StrictMode>
        <Sum />
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getByTestId('sum').textContent).toBe('refetching 0'));
    await server.sse.broadcast('counter', { value: 3 });
    await waitFor(() => expect(client.getSnapshot().lastEventId).toMatch(/-1$/));
    expect(screen.getByTestId('sum').textContent).toBe('refetching 0');
    await act(async () => answer(1000));
    await waitFor(() => expect(screen.getByTestId('sum').textContent).toBe('1003'));
    expect(refetches).toEqual(['epoch-changed']);
  });

  it('reports a failed refetch and keeps folding from the initial state', async () => {
    const server = await startServer();
    const client = liveClient(server, { lastEventId: 'gone-7' });
    const { useSseReducer } = createSseHooks(client);
    function Sum() {
      const { state, error } = useSseReducer(
        ['counter'],
        (sum: number, event) => sum + event.data.value,
        10,
        {
          refetch: () => Promise.reject(new Error('offline')),
        },
      );
      return <output data-testid="sum">{`${state} ${error instanceof Error ? error.message : 'ok'}`}</output>;
    }
    render(<Sum />);
    await waitFor(() => expect(screen.getByTestId('sum').textContent).toBe('10 offline'));
    await server.sse.broadcast('counter', { value: 1 });
    await waitFor(() => expect(screen.getByTestId('sum').textContent).toBe('11 offline'));
  });
});
