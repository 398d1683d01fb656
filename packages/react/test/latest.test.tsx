import { render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { createSseHooks } from '../src/index';
import { liveClient, startServer } from './support/live-server';

describe('useSseLatest', () => {
  it('gives the last payload with its ID, also to a component mounted later', async () => {
    const server = await startServer();
    const { useSseLatest } = createSseHooks(liveClient(server));
    function Latest({ testId }: { testId: string }) {
      const latest = useSseLatest('counter');
      return (
        <output data-testid={testId}>
          {latest === undefined ? 'none' : `${latest.data.value}@${latest.id}`}
        </output>
      );
    }
    const { rerender } = render(
      <StrictMode>
        <Latest testId="first" />
      </StrictMode>,
    );
    expect(screen.getByTestId('first').textContent).toBe('none');
    await waitFor(() => expect(server.openStreams()).toBe(1));
    await server.sse.broadcast('counter', { value: 1 });
    const { id } = await server.sse.broadcast('counter', { value: 2 });
    await waitFor(() => expect(screen.getByTestId('first').textContent).toBe(`2@${id}`));
    rerender(
      <StrictMode>
        <Latest testId="first" />
        <Latest testId="second" />
      </StrictMode>,
    );
    expect(screen.getByTestId('second').textContent).toBe(`2@${id}`);
    expect(server.opened()).toBe(1);
  });
});
