import type { TickPayload } from '../payload';

/** A server under test, listening on loopback, seen through what the benchmark needs. */
export interface FanoutServer {
  /** Name and version for the report, e.g. `better-sse 0.16.1`. */
  label: string;
  /** The port it listens on (127.0.0.1). */
  port: number;
  /** Connections currently registered for broadcasts. */
  clients(): number;
  /** Sends one tick to every connection, the way a user of that server would. */
  publish(payload: TickPayload): void | Promise<void>;
  /** Ends every stream and closes the listener. */
  close(): Promise<void>;
}
