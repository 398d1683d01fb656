// useSseReducer across effect re-runs: a refetch in flight survives new `names`.
import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { expect, it } from 'vitest';
import { createSseHooks } from '../src/index';
import { liveClient, startServer } from './support/live-server';

it('folds a refetch that was in flight when the names changed, and the events queued meanwhile', async () => {
  const server = await startServer();
  const client = liveClient(server);
  const { useSseReducer } = createSseHooks(client, { idleCloseMs: 0 });
  let answer!: (list: string[]) => void;
  let refetches = 0;
  const refetch = () => {
    refetches += 1;
    return new Promise<string[]>((resolve) => {
      answer = resolve;
    });
  };
  function Feed({ names }: { names: ('user:joined' | 'user:left')[] }) {
    const { state, refetching } = useSseReducer(
      names,
      (list: string[], event) => [...list, `${event.type}:${event.data.userId}`],
      [],
      { refetch },
    );
    return <output data-testid="feed">{`${refetching ? 'refetching ' : ''}${state.join(',')}`}</output>;
  }
  const view = render(
    <StrictMode>
      <Feed names={['user:joined']} />
    </StrictMode>,
  );
  await waitFor(() => expect(client.state).toBe('open'));
  await server.sse.broadcast('user:joined', { userId: 'a', name: 'A' });
  await waitFor(() => expect(screen.getByTestId('feed').textContent).toBe('user:joined:a'));
  await server.restart(); // the client resumes from an ID of the old epoch: sse:reset
  await waitFor(() => expect(screen.getByTestId('feed').textContent).toBe('refetching user:joined:a'));
  const { id } = await server.sse.broadcast('user:joined', { userId: 'b', name: 'B' }); // queued
  await waitFor(() => expect(client.lastEventId).toBe(id));
  // The parent now also wants user:left (a filter toggle): the effect runs again.
  view.rerender(
    <StrictMode>
      <Feed names={['user:joined', 'user:left']} />
    </StrictMode>,
  );
  await act(async () => answer(['fresh']));
  await waitFor(() => expect(screen.getByTestId('feed').textContent).toBe('fresh,user:joined:b'));
  await server.sse.broadcast('user:left', { userId: 'c' });
  await waitFor(() => expect(screen.getByTestId('feed').textContent).toBe('fresh,user:joined:b,user:left:c'));
  expect(refetches).toBe(1);
});
