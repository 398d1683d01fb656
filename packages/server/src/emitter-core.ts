import type { EventCatalog } from '@app/sse-protocol';
import type { Greeting } from './greeting';
import type { Heartbeat } from './heartbeat';
import type { ResolvedOptions } from './options';
import type { Registry } from './registry';
import type { ReplayStore } from './replay-store';
import type { Counters } from './stats';
import type { Telemetry } from './telemetry';

/** The state one emitter shares between its public methods, its adapters and its delivery code. */
export interface EmitterCore {
  readonly catalog: EventCatalog;
  readonly options: ResolvedOptions;
  readonly store: ReplayStore;
  readonly registry: Registry;
  readonly counters: Counters;
  /** What the metrics count beside `counters` (see metrics.ts). */
  readonly telemetry: Telemetry;
  readonly heartbeat: Heartbeat;
  /** What `sse:hello` tells every connection besides its ID (catalog, compatibility, heartbeat). */
  readonly greeting: Greeting;
  /** The first bytes of every stream (comment and `retry:`), encoded once. */
  readonly prelude: Uint8Array;
  /** The heartbeat comment, encoded once. */
  readonly ping: Uint8Array;
  /** Set when `close()` starts: new streams are refused (503); open ones are ended over the drain. */
  draining: boolean;
  /** Set by `close()` once the streams ended: nothing more is published. */
  closed: boolean;
}
