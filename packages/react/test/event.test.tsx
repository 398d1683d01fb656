import { render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { createSseHooks } from '../src/index';
import { liveClient, startServer } from './support/live-server';

describe('useSseEvent', () => {
  it('calls the handler once per event with the latest props, across re-renders', async () => {
    const server = await startServer();
    const { useSseEvent, useSseStatus } = createSseHooks(liveClient(server));
    const calls: string[] = [];
    function Listener({ label }: { label: string }) {
      const state = useSseStatus((s) => s.state);
      useSseEvent('notification', (data, meta) => {
        calls.push(`${label}:${data.message}:${meta.id === '' ? 'no id' : 'id'}`);
      });
      return <output data-testid="state">{state}</output>;
    }
    const { rerender } = render(
      <StrictMode>
        <Listener label="first" />
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('open'));
    await server.sse.broadcast('notification', { message: 'a', severity: 'info' });
    await waitFor(() => expect(calls).toHaveLength(1));
    for (const label of ['second', 'third', 'fourth']) {
      rerender(
        <StrictMode>
          <Listener label={label} />
        </StrictMode>,
      );
    }
    await server.sse.broadcast('notification', { message: 'b', severity: 'info' });
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls).toEqual(['first:a:id', 'fourth:b:id']);
    expect(server.opened()).toBe(1);
  });

  it('sees state set by the previous event (no stale closure)', async () => {
    const server = await startServer();
    const { useSseEvent } = createSseHooks(liveClient(server));
    function Tally() {
      const [names, setNames] = useState<string[]>([]);
      useSseEvent('user:joined', (data) => setNames([...names, data.name]));
      return <output data-testid="names">{names.join(',')}</output>;
    }
    render(
      <StrictMode>
        <Tally />
      </StrictMode>,
    );
    await waitFor(() => expect(server.openStreams()).toBe(1));
    await server.sse.broadcast('user:joined', { userId: 'u1', name: 'Ada' });
    await waitFor(() => expect(screen.getByTestId('names').textContent).toBe('Ada'));
    await server.sse.broadcast('user:joined', { userId: 'u2', name: 'Grace' });
    await waitFor(() => expect(screen.getByTestId('names').textContent).toBe('Ada,Grace'));
  });

  it('stops calling the handler after unmount', async () => {
    const server = await startServer();
    const client = liveClient(server);
    const { useSseEvent, useSseLatest } = createSseHooks(client);
    const calls: string[] = [];
    function Listener() {
      useSseEvent('notification', (data) => void calls.push(data.message));
      return null;
    }
    function Latest() {
      return <output data-testid="latest">{useSseLatest('notification')?.data.message ?? '-'}</output>;
    }
    const { rerender } = render(
      <>
        <Listener />
        <Latest />
      </>,
    );
    await waitFor(() => expect(server.openStreams()).toBe(1));
    await server.sse.broadcast('notification', { message: 'seen', severity: 'info' });
    await waitFor(() => expect(calls).toEqual(['seen']));
    rerender(<Latest />);
    await server.sse.broadcast('notification', { message: 'unseen', severity: 'info' });
    await waitFor(() => expect(screen.getByTestId('latest').textContent).toBe('unseen'));
    expect(calls).toEqual(['seen']);
  });
});
