// useSseReducer under React 19's <Activity mode="hidden"> (effects removed, state kept): a gap in
// the stream is a reset. React 18 has no <Activity>: its run (vitest.react-18.config.ts) leaves this
// file out.
import { act, render, screen, waitFor } from '@testing-library/react';
import * as React from 'react';
import { StrictMode, useState } from 'react';
import { expect, it } from 'vitest';
import { createSseHooks } from '../src/index';
import { liveClient, startServer } from './support/live-server';

type ActivityComponent = (props: {
  mode: 'visible' | 'hidden';
  children: React.ReactNode;
}) => React.ReactNode;
const Activity = (React as unknown as { Activity: ActivityComponent }).Activity;

it('treats events missed while hidden by <Activity> as a reset, and applies a refetch that settled meanwhile', async () => {
  const Hideable = Activity as ActivityComponent;
  const server = await startServer();
  const client = liveClient(server);
  const { useSseReducer, useSseConnection } = createSseHooks(client, { idleCloseMs: 1000 });
  let answer!: (sum: number) => void;
  const reasons: string[] = [];
  function Sum() {
    const { state, refetching } = useSseReducer(['counter'], (n: number, event) => n + event.data.value, 0, {
      refetch: (info) => {
        reasons.push(`${info.reason}@${info.lastEventId}`);
        return new Promise<number>((resolve) => {
          answer = resolve;
        });
      },
    });
    return <output data-testid="sum">{`${refetching ? 'R ' : ''}${state}`}</output>;
  }
  let setMode!: (mode: 'visible' | 'hidden') => void;
  function App() {
    const [mode, set] = useState<'visible' | 'hidden'>('visible');
    setMode = set;
    useSseConnection(); // the app shell keeps the stream open
    return (
      <Hideable mode={mode}>
        <Sum />
      </Hideable>
    );
  }
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  await waitFor(() => expect(client.state).toBe('open'));
  const one = await server.sse.broadcast('counter', { value: 1 });
  await waitFor(() => expect(screen.getByTestId('sum').textContent).toBe('1'));

  // Hidden and shown again with nothing sent meanwhile: no reset.
  act(() => setMode('hidden'));
  act(() => setMode('visible'));
  expect(reasons).toEqual([]);

  // An event while hidden is not folded: shown again, the state is refetched.
  act(() => setMode('hidden'));
  const ten = await server.sse.broadcast('counter', { value: 10 });
  await waitFor(() => expect(client.lastEventId).toBe(ten.id));
  act(() => setMode('visible'));
  await waitFor(() => expect(screen.getByTestId('sum').textContent).toBe('R 1'));
  expect(reasons).toEqual([`evicted@${one.id}`]);
  const hundred = await server.sse.broadcast('counter', { value: 100 }); // queued during the refetch
  await waitFor(() => expect(client.lastEventId).toBe(hundred.id));
  await act(async () => answer(11)); // the server's state: 1 + 10
  await waitFor(() => expect(screen.getByTestId('sum').textContent).toBe('111'));

  // A refetch that settles while hidden is applied; `refetching` does not stay on.
  await server.restart();
  await waitFor(() => expect(screen.getByTestId('sum').textContent).toBe('R 111'));
  act(() => setMode('hidden'));
  await act(async () => answer(1000));
  act(() => setMode('visible'));
  await server.sse.broadcast('counter', { value: 5 });
  await waitFor(() => expect(screen.getByTestId('sum').textContent).toBe('1005'));
  expect(reasons).toHaveLength(2);
});
