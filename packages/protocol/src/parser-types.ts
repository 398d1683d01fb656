import type { ProtocolError } from './errors';

// The public shapes of the streaming parser: what it emits, how it is configured, what it returns.

/**
 * One dispatched event, as the WHATWG HTML "Server-sent events" processing model creates it.
 */
export interface ParsedEvent {
  /**
   * The stream's last event ID string when this event was dispatched. Per the spec it persists
   * across events until an `id` field changes it; `''` when none was ever set.
   */
  id: string;
  /** The event type: the `event` field of this block, or `'message'` when it had none. */
  event: string;
  /** The `data` lines of this block joined with LF (the final LF removed). */
  data: string;
}

/** Callbacks and limits for {@link createParser}. */
export interface ParserOptions {
  /** Called for every dispatched event. */
  onEvent?: (event: ParsedEvent) => void;
  /**
   * Called when the last event ID changes without an event: a block with an `id:` field and no
   * `data:` (the spec still sets the last event ID then). Events carry theirs in `event.id`; this
   * tells an event that inherits an ID apart from one whose own `id:` field carried it.
   */
  onLastEventId?: (lastEventId: string) => void;
  /** Called with the new reconnection time (milliseconds) for each valid `retry:` field. */
  onRetry?: (retryMs: number) => void;
  /** Called with the text of each comment line (after the colon, one leading space removed). */
  onComment?: (comment: string) => void;
  /**
   * Called for input the spec tells parsers to ignore (`unknown-field`, `invalid-retry`) and for
   * discarded oversized input (`buffer-overflow`). Parsing always continues; nothing is thrown.
   */
  onError?: (error: ProtocolError) => void;
  /**
   * The longest line, and the largest event `data`, in UTF-16 code units, that the parser keeps.
   * A line growing past it is reported and skipped up to its end, and unless it is a comment, the
   * event it belongs to is dropped as a whole; so is an event whose data grows past it (never
   * delivered truncated, spliced, retyped or with a stale ID).
   *
   * @defaultValue 16 MiB (16 * 1024 * 1024)
   */
  maxBufferSize?: number;
  /** The last event ID to start with (for example one persisted from an earlier connection). @defaultValue `''` */
  lastEventId?: string;
}

/** A streaming parser: feed it decoded text in chunks of any size. */
export interface EventStreamParser {
  /**
   * Parses the next chunk of decoded text. Cost is linear in the total input, however it is cut.
   *
   * @param chunk - the next piece of the stream, of any length (lines and CRLF may span chunks)
   */
  feed(chunk: string): void;
  /**
   * Starts a new stream (a new connection): drops any partial line or event and expects an
   * optional BOM again. The last event ID is kept, as an `EventSource` keeps it across reconnects.
   */
  reset(): void;
  /** The last event ID string: what a client sends as `Last-Event-ID` when it reconnects. */
  readonly lastEventId: string;
}

/** Default for {@link ParserOptions.maxBufferSize}. */
export const DEFAULT_MAX_BUFFER_SIZE = 16 * 1024 * 1024;
