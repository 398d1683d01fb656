import { createRedisStore } from '@app/sse-redis';
import type { EmitterStats } from '@app/sse-server';
import { startRedisServer } from '@app/test-utils/redis-server';
import { createClient } from '@redis/client';
import { createDemoServer, type DemoServer, type DemoServerOptions } from './demo-server';
import { createRedisPresenceCounter } from './presence-counter';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy';

/** The Redis keys of a scale-out demo: its event stream and its presence counts. */
export const CLUSTER_KEYS = { stream: 'sse-demo:events', presence: 'sse-demo:presence' } as const;

/** Options of {@link createDemoCluster}. */
export interface DemoClusterOptions {
  /** How many instances (1 to 8). */
  instances: number;
  /** The Redis to share; left out, a local `redis-server` is started (and stopped on close). */
  redisUrl?: string | undefined;
  /** The proxy's port; the instances take the next ones (`0`: free ports). @defaultValue 0 */
  port?: number;
  /** The proxy's interface; the instances listen on 127.0.0.1. @defaultValue `'127.0.0.1'` */
  host?: string;
  /** Timings and limits every instance gets (tests shorten them). */
  server?: Pick<
    DemoServerOptions,
    'heartbeatMs' | 'retryMs' | 'metricsIntervalMs' | 'jobStepMs' | 'presenceGraceMs' | 'onError'
  >;
}

/** One instance of a {@link DemoCluster}. */
export interface ClusterInstance extends DemoServer {
  /** Its name: `a`, `b`, ... (what the page shows). */
  readonly name: string;
}

/** A running scale-out demo. */
export interface DemoCluster {
  /** The page's URL: the proxy's. */
  readonly url: string;
  /** The proxy's port. */
  readonly port: number;
  /** The Redis the instances share. */
  readonly redisUrl: string;
  /** The instances, each on its own port. */
  readonly instances: readonly ClusterInstance[];
  /** Drains and closes every instance, then the proxy and (when it started it) the local Redis. */
  close(options?: { drainMs?: number }): Promise<void>;
}

/**
 * Starts the demo on several instances that share one Redis Stream, behind a round-robin TCP
 * proxy: a page may land on any instance and move to another when its instance goes down (the
 * "Simulate outage" button takes down the instance holding the page's stream), and it resumes
 * there with every event, once. The instances run in this process, each with its own HTTP server,
 * emitter, Redis store and Redis connection, exactly as separate processes would; the metrics
 * panel counts the streams of all of them (the CPU and memory are this one process's).
 *
 * @param options - instances, Redis and where to listen
 * @example
 * ```ts
 * const cluster = await createDemoCluster({ instances: 2, port: 3000 });
 * console.log(cluster.url, cluster.instances.map((instance) => instance.url));
 * ```
 */
export async function createDemoCluster(options: DemoClusterOptions): Promise<DemoCluster> {
  const { instances: count } = options;
  if (!Number.isInteger(count) || count < 1 || count > 8) {
    throw new Error(`@app/demo: --instances must be an integer from 1 to 8, got ${count}`);
  }
  const localRedis = options.redisUrl ? undefined : await startRedisServer();
  const redisUrl = options.redisUrl ?? (localRedis as { url: string }).url;
  const port = options.port ?? 0;
  const clients: { close(): Promise<void>; destroy(): void }[] = [];
  const instances: ClusterInstance[] = [];
  let proxy: RoundRobinProxy | undefined;

  async function close(drainMs = 0): Promise<void> {
    await proxy?.close();
    await Promise.all(instances.map((instance) => instance.close({ drainMs })));
    await Promise.all(clients.map((client) => client.close().catch(() => client.destroy())));
    await localRedis?.remove();
  }

  try {
    const stats = (): Pick<EmitterStats, 'clients' | 'sent'>[] => instances.map((i) => i.sse.stats());
    for (let index = 0; index < count; index += 1) {
      const name = String.fromCharCode(97 + index);
      const client = await createClient({ url: redisUrl }).connect();
      clients.push(client);
      // A fresh run: no instance holds anyone yet (counts of an earlier run that crashed go).
      if (index === 0) await client.del(CLUSTER_KEYS.presence);
      const server = await createDemoServer({
        ...options.server,
        port: port === 0 ? 0 : port + 1 + index,
        store: createRedisStore({ redis: client, stream: CLUSTER_KEYS.stream, maxLen: 1000 }),
        instance: name,
        presence: createRedisPresenceCounter(client, CLUSTER_KEYS.presence),
        // One instance samples the metrics of all: the chart shows one line for the process.
        ...(index === 0
          ? {
              readStream: () => ({
                connections: stats().reduce((sum, s) => sum + s.clients, 0),
                delivered: stats().reduce((sum, s) => sum + s.sent, 0),
              }),
            }
          : { metricsIntervalMs: 0 }),
        onOutage: (ms, target) =>
          (instances.find((instance) => instance.name === target) ?? instances[index])?.simulateOutage(ms),
      });
      instances.push(Object.assign(server, { name }));
    }
    const host = options.host ?? '127.0.0.1';
    proxy = await startRoundRobinProxy({ port, host, targets: instances.map((i) => i.port) });
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${urlHost}:${proxy.port}`,
      port: proxy.port,
      redisUrl,
      instances,
      close: (closeOptions = {}) => close(closeOptions.drainMs),
    };
  } catch (error) {
    await close();
    throw error;
  }
}
