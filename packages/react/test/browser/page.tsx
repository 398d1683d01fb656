import { createClient } from '@app/sse-client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createSseHooks } from '../../src/index';
import { events } from '../support/catalog';

// A relative URL, resolved against the page, as an app served with its API does.
const client = createClient({ url: '/events', events, autoConnect: false, backoff: { initialMs: 50 } });
const { useSseStatus, useSseLatest, useSseReducer } = createSseHooks(client);

function Badge() {
  const state = useSseStatus((s) => s.state);
  return <output id="state">{state}</output>;
}

function Roster() {
  const { state } = useSseReducer(
    ['user:joined', 'user:left'],
    (names: string[], event) =>
      event.type === 'user:joined'
        ? [...names, event.data.name]
        : names.filter((n) => n !== event.data.userId),
    [],
  );
  return <output id="roster">{state.join(',')}</output>;
}

function Latest() {
  const latest = useSseLatest('notification');
  return <output id="latest">{latest === undefined ? '' : `${latest.data.message}@${latest.id}`}</output>;
}

const root = document.getElementById('root');
if (root === null) throw new Error('no #root');
createRoot(root).render(
  <StrictMode>
    <Badge />
    <Roster />
    <Latest />
  </StrictMode>,
);
