import { createClient as createSseClient, type SseClient } from '@app/sse-client';
import { waitFor } from '@app/test-utils';
import { createClient as createRedisClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, USER_HEADER } from '../src/api-contract';
import { type DashboardCatalog, events } from '../src/catalog';
import { CLUSTER_KEYS, createDemoCluster, type DemoCluster } from '../src/server/demo-cluster';
import { snapshotSchema } from '../src/snapshot';

// Two instances sharing a real redis-server (started by the cluster on a free loopback port),
// behind the round-robin proxy, as `npm run demo -- --instances 2` runs them.

const GRACE_MS = 1000;
let cluster: DemoCluster;

beforeAll(async () => {
  cluster = await createDemoCluster({
    instances: 2,
    server: { metricsIntervalMs: 0, retryMs: 100, presenceGraceMs: GRACE_MS, onError: () => undefined },
  });
});
afterAll(async () => {
  await cluster?.close();
});

async function stateOf(url: string, user: string) {
  const response = await fetch(`${url}${ROUTES.state}?user=${user}`);
  return snapshotSchema.parse(await response.json());
}

function instance(name: string) {
  const found = cluster.instances.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no instance ${name}`);
  return found;
}

/** A Node client through the proxy, recording every event it gets as `type` or `type:detail`. */
function openTab(user: string): { client: SseClient<DashboardCatalog>; log: string[] } {
  const client = createSseClient({
    url: `${cluster.url}${ROUTES.events}`,
    events,
    headers: { [USER_HEADER]: user },
    backoff: { initialMs: 50, maxMs: 200 },
  });
  const log: string[] = [];
  void (async () => {
    for await (const event of client.stream()) {
      if (event.type === 'stream:opened') log.push(`opened:${event.data.instance}`);
      else if (event.type === 'notification') log.push(`note:${event.data.message}`);
      else if (event.type === 'user:left' || event.type === 'user:joined') {
        log.push(`${event.type}:${event.data.userId}`);
      }
    }
  })();
  return { client, log };
}

describe('the demo on two instances', () => {
  it('serves one history: events of either instance reach both, and a snapshot from either covers them', async () => {
    const [a, b] = cluster.instances;
    if (!a || !b) throw new Error('two instances expected');
    await a.dashboard.notify({ from: 'ada', message: 'From a', severity: 'info' });
    await b.dashboard.notify({ from: 'grace', message: 'From b', severity: 'info' });
    await b.dashboard.notify({ from: 'grace', message: 'For ada only', severity: 'info', to: 'ada' });

    for (const url of [a.url, b.url, cluster.url]) {
      await waitFor(async () => {
        const snapshot = await stateOf(url, 'margaret');
        expect(snapshot.notifications.map((note) => note.message)).toEqual(['From b', 'From a']);
      });
    }
    await waitFor(async () => {
      const [fromA, fromB] = await Promise.all([stateOf(a.url, 'ada'), stateOf(b.url, 'ada')]);
      expect(fromA.notifications.map((note) => note.message)).toEqual(['For ada only', 'From b', 'From a']);
      expect(fromB).toEqual(fromA);
    });
  });

  it('moves a tab to the other instance when its instance goes down: every event once, in order, no leave', async () => {
    const { client, log } = openTab('ada');
    try {
      await waitFor(() => expect(log).toContainEqual(expect.stringMatching(/^opened:[ab]$/)));
      const first = (log.find((entry) => entry.startsWith('opened:')) as string).slice('opened:'.length);
      const other = first === 'a' ? 'b' : 'a';
      await waitFor(() => expect(log).toContain('user:joined:ada'));
      await instance(first).dashboard.notify({ from: 'grace', message: 'Before', severity: 'info' });

      // The page's button: POST /api/outage naming the tab's instance, through the proxy.
      const response = await fetch(`${cluster.url}${ROUTES.outage}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seconds: 5, instance: first }),
      });
      expect(response.status).toBe(202);
      await waitFor(() => expect(client.state).not.toBe('open'));
      const during = ['During 1', 'During 2', 'During 3'];
      for (const message of during) {
        await instance(other).dashboard.notify({ from: 'grace', message, severity: 'info' });
      }

      await waitFor(() => expect(log).toContain(`opened:${other}`));
      await instance(other).dashboard.notify({ from: 'grace', message: 'After', severity: 'info' });
      await waitFor(() => expect(log).toContain('note:After'));
      expect(log.filter((entry) => entry.startsWith('note:'))).toEqual([
        'note:Before',
        ...during.map((message) => `note:${message}`),
        'note:After',
      ]);
      expect(client.metrics().resets).toBe(0);

      // The first instance's grace period ran out (the count of instances holding ada went from
      // 2 to 1), and the user never left: nobody saw ada go offline while the tab moved.
      const redis = await createRedisClient({ url: cluster.redisUrl }).connect();
      try {
        await waitFor(() => expect(redis.hGet(CLUSTER_KEYS.presence, 'ada')).resolves.toBe('1'));
      } finally {
        await redis.close();
      }
      expect(log).not.toContain('user:left:ada');
      expect(log.filter((entry) => entry === 'user:joined:ada')).toHaveLength(1);
      expect((await stateOf(cluster.url, 'ada')).online.map((user) => user.userId)).toContain('ada');
    } finally {
      client.close();
    }
  });

  it('says when the last instance loses a user: left once, after the grace period', async () => {
    const watcher = openTab('margaret');
    let leaving: ReturnType<typeof openTab> | undefined;
    try {
      await waitFor(() => expect(watcher.log).toContain('user:joined:margaret'));
      leaving = openTab('grace');
      await waitFor(() => expect(watcher.log).toContain('user:joined:grace'));
      leaving.client.close();
      await waitFor(() => expect(watcher.log).toContain('user:left:grace'));
      expect(watcher.log.filter((entry) => entry === 'user:left:grace')).toHaveLength(1);
    } finally {
      watcher.client.close();
      leaving?.client.close();
    }
  });
});
