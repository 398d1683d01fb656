// What the tabs of a share group tell each other on its `BroadcastChannel` (shared-loop.ts).
import type { ClientSnapshot } from './client-api';
import type { RoutedEvent } from './dispatch';
import type { SseClientError, SseClientErrorCode } from './errors';

/** An error as it crosses to another tab (a structured clone of an `Error` keeps its message only). */
export interface SharedError {
  code: SseClientErrorCode;
  reason: string;
  status: number | undefined;
  fatal: boolean;
}

/** The stream's part of a snapshot (each tab has its own `role`), as it crosses to another tab. */
export type SharedSnapshot = Omit<ClientSnapshot, 'error' | 'role'> & { error: SharedError | null };

/** What the tabs of a group tell each other. */
export type ShareMessage =
  /**
   * A tab joined (or asks again, after a new leader came): the leader answers with `welcome`.
   * `hidden` says whether its page is hidden (absent without `pauseWhenHidden`: never paused for);
   * `seq` numbers the tab's joins, so that it takes only the answer to its latest.
   */
  | { kind: 'join'; tab: string; seq: number; lastEventId: string; hidden?: boolean }
  /** A tab's page was shown or hidden, or the tab left (`hidden`). */
  | { kind: 'visibility'; tab: string; hidden: boolean }
  /** A tab leads now, resuming from `lastEventId`: tabs that may lack what follows ask again. */
  | { kind: 'lead'; lastEventId: string }
  /**
   * The leader's answer to `join`: its snapshot, and the events after the joining tab's last
   * event ID (`null` when the leader no longer has that ID), and the tabs it knows to be visible.
   */
  | {
      kind: 'welcome';
      to: string;
      /** The `seq` of the join it answers. */
      seq: number;
      /**
       * The joining tab is ahead of this leader (its ID is one the old leader sent, which this
       * leader's stream has not reached yet): it keeps its place and skips the events up to its ID.
       */
      behind: boolean;
      snapshot: SharedSnapshot;
      events: RoutedEvent[] | null;
      trimmed: boolean;
      visible: string[];
    }
  /** The stream's snapshot changed. */
  | { kind: 'snapshot'; snapshot: SharedSnapshot }
  /** An event of the stream, as the connection parsed it (each tab validates and dedupes it). */
  | { kind: 'event'; event: RoutedEvent }
  /** A connection error (reconnections follow unless it is fatal). */
  | { kind: 'report'; error: SharedError }
  /** A connection counter of `metrics()` grew. */
  | { kind: 'count'; hook: 'opened' | 'received' | 'retrying'; value: number }
  /** The stream closed for good (a fatal error, or `204 No Content`): every tab closes. */
  | { kind: 'closed'; error: SharedError | null };

/**
 * An error as it crosses to another tab.
 *
 * @param error - the connection's error
 */
export function toShared(error: SseClientError): SharedError {
  return { code: error.code, reason: error.reason, status: error.status, fatal: error.fatal };
}

/**
 * The stream's part of a snapshot, as it crosses to another tab.
 *
 * @param snapshot - this tab's snapshot
 */
export function sharedSnapshot(snapshot: ClientSnapshot): SharedSnapshot {
  const { error, role: _role, ...stream } = snapshot;
  return { ...stream, error: error === null ? null : toShared(error) };
}
