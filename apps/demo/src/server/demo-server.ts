import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEmitter,
  createMemoryStore,
  type Emitter,
  type MemoryStoreOptions,
  type ReplayStore,
} from '@app/sse-server';
import { type DashboardCatalog, events } from '../catalog';
import {
  createDashboardService,
  type DashboardService,
  type DashboardServiceOptions,
} from './dashboard-service';
import { createDemoApp } from './demo-app';
import { observeHistory } from './history-observer';

/** Options of {@link createDemoServer}. */
export interface DemoServerOptions {
  /** The port; `0` picks a free one. @defaultValue 0 */
  port?: number;
  /** The interface to listen on. @defaultValue `'127.0.0.1'` */
  host?: string;
  /** Bounds of the in-memory replay buffer (when no `store` is given). @defaultValue `{ maxEvents: 1000 }` */
  replay?: Omit<MemoryStoreOptions, 'epoch'>;
  /** The replay store; a scale-out demo passes a Redis store shared by its instances. @defaultValue in memory */
  store?: ReplayStore;
  /** This instance's name in a scale-out demo (told to each stream, and part of job IDs). */
  instance?: string;
  /** Where presence is counted across instances. @defaultValue this process only */
  presence?: DashboardServiceOptions['presence'];
  /** What the metrics samples count. @defaultValue this emitter's streams */
  readStream?: DashboardServiceOptions['readStream'];
  /**
   * What `POST /api/outage` does; a scale-out demo takes down the instance the page names.
   * @defaultValue this server goes off the network for the given time
   */
  onOutage?: (ms: number, instance: string | undefined) => void;
  /** Heartbeat comment interval. @defaultValue 15000 */
  heartbeatMs?: number;
  /** Reconnection time announced to clients with `retry:`. @defaultValue 1000 */
  retryMs?: number;
  /** Time between two metrics samples; `0` turns them off. @defaultValue 1000 */
  metricsIntervalMs?: number;
  /** Time one job step takes. @defaultValue 300 */
  jobStepMs?: number;
  /** How long a user whose last tab closed still shows as online. @defaultValue 3000 */
  presenceGraceMs?: number;
  /**
   * Whether `POST /api/outage` may take the server off the network for a few seconds (the page's
   * "Simulate outage" button).
   * @defaultValue true
   */
  allowOutage?: boolean;
  /** Where unexpected errors go. @defaultValue `console.error` */
  onError?: (error: unknown) => void;
}

/** A running demo server. */
export interface DemoServer {
  /** The page's URL, like `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The emitter (to publish from code, or read `stats()`). */
  readonly sse: Emitter<DashboardCatalog>;
  /** The dashboard's server side (to publish notifications and start jobs from code). */
  readonly dashboard: DashboardService;
  /**
   * Stops listening and cuts every open connection, keeping the emitter, its replay buffer and
   * the state: to the page this is the server going away (a crash, a network cut, a proxy restart).
   */
  stopListening(): Promise<void>;
  /** Listens again on the same port after {@link DemoServer.stopListening}. */
  startListening(): Promise<void>;
  /**
   * Stops listening (cutting every open connection) for `ms`, then listens again: the page's
   * "Simulate outage" button. Ignored while an outage runs or the server closes.
   */
  simulateOutage(ms: number): void;
  /**
   * Shuts down gracefully: stops the timers, refuses new streams, tells every open stream when to
   * come back and ends it (progressively over `drainMs`, so the pages do not all return in the same
   * second), then closes the listener. The replay buffer lives in memory and is gone afterwards.
   *
   * @param options - `drainMs` @defaultValue `0`
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Starts the demo: an emitter with an in-memory replay buffer (or the given store), the dashboard
 * service and the Express app, on a real HTTP server.
 *
 * @param options - port, replay bounds and timings
 * @example
 * ```ts
 * const demo = await createDemoServer({ port: 3000 });
 * console.log(`Dashboard on ${demo.url}`);
 * process.once('SIGINT', () => demo.close());
 * ```
 */
export async function createDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const onError = options.onError ?? ((error: unknown) => console.error('@app/demo:', error));
  // The service is made after the emitter, which needs the store first; nothing is stored before.
  let record: DashboardService['record'] = () => {};
  const store = observeHistory(
    options.store ?? createMemoryStore(options.replay ?? { maxEvents: 1000 }),
    (event) => record(event),
  );
  const sse = createEmitter({
    events,
    store,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    retryMs: options.retryMs ?? 1000,
    onError,
  });
  const dashboard = createDashboardService({
    sse,
    metricsIntervalMs: options.metricsIntervalMs,
    jobStepMs: options.jobStepMs,
    presenceGraceMs: options.presenceGraceMs,
    presence: options.presence,
    readStream: options.readStream,
    instance: options.instance,
    onError,
  });
  record = dashboard.record;
  let port = options.port ?? 0;
  let closing: Promise<void> | undefined;
  let outage: { timer?: ReturnType<typeof setTimeout> } | undefined;
  const startListening = async (): Promise<void> => {
    if (!server.listening && !closing) await listen(server, port, host);
  };
  function simulateOutage(ms: number): void {
    if (outage || closing) return;
    const current: { timer?: ReturnType<typeof setTimeout> } = {};
    outage = current;
    void stop(server).then(() => {
      if (outage !== current) return; // closed meanwhile
      current.timer = setTimeout(() => {
        outage = undefined;
        startListening().catch(onError);
      }, ms);
    });
  }
  const server = createServer(
    createDemoApp({
      sse,
      dashboard,
      onError,
      instance: options.instance,
      ...(options.allowOutage === false
        ? {}
        : { simulateOutage: options.onOutage ?? ((ms: number) => simulateOutage(ms)) }),
    }),
  );
  try {
    port = await listen(server, port, host);
  } catch (error) {
    dashboard.close();
    await sse.close();
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    sse,
    dashboard,
    stopListening: () => stop(server),
    startListening,
    simulateOutage,
    close(options = {}) {
      closing ??= (async () => {
        clearTimeout(outage?.timer);
        outage = undefined;
        dashboard.close();
        await sse.close({ drainMs: options.drainMs ?? 0 });
        await stop(server);
      })();
      return closing;
    },
  };
}
