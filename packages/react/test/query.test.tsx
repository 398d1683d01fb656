import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { type ReactNode, StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { createSseHooks } from '../src/index';
import { createSseQueryHooks } from '../src/query';
import { liveClient, startServer } from './support/live-server';

interface User {
  id: string;
  name: string;
}

function withQueryClient(children: ReactNode) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return (
    <StrictMode>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </StrictMode>
  );
}

describe('@app/sse-react/query', () => {
  it('writes events into query data', async () => {
    const server = await startServer();
    const { useSseQueryUpdate } = createSseQueryHooks(createSseHooks(liveClient(server)));
    let fetches = 0;
    function Users() {
      const { data } = useQuery({
        queryKey: ['users'],
        queryFn: async (): Promise<User[]> => {
          fetches += 1;
          return [{ id: 'u0', name: 'Linus' }];
        },
      });
      useSseQueryUpdate('user:joined', ['users'], (users: User[] | undefined, joined) =>
        users === undefined ? undefined : [...users, { id: joined.userId, name: joined.name }],
      );
      return <output data-testid="users">{data?.map((user) => user.name).join(',') ?? 'loading'}</output>;
    }
    render(withQueryClient(<Users />));
    await waitFor(() => expect(screen.getByTestId('users').textContent).toBe('Linus'));
    await waitFor(() => expect(server.openStreams()).toBe(1));
    await server.sse.broadcast('user:joined', { userId: 'u1', name: 'Ada' });
    await waitFor(() => expect(screen.getByTestId('users').textContent).toBe('Linus,Ada'));
    expect(fetches).toBe(1);
  });

  it('invalidates the query on sse:reset and on listed events', async () => {
    const server = await startServer();
    const { useSseInvalidate } = createSseQueryHooks(
      createSseHooks(liveClient(server, { lastEventId: 'gone-3' })),
    );
    let fetches = 0;
    function Count() {
      const { data } = useQuery({ queryKey: ['count'], queryFn: async () => ++fetches });
      useSseInvalidate(['user:left'], ['count']);
      return <output data-testid="count">{data ?? 'loading'}</output>;
    }
    render(withQueryClient(<Count />));
    // The first fetch, then the refetch the reset asked for.
    await waitFor(() => expect(screen.getByTestId('count').textContent).toBe('2'));
    await server.sse.broadcast('user:left', { userId: 'u1' });
    await waitFor(() => expect(screen.getByTestId('count').textContent).toBe('3'));
  });
});
