import { createParser, type ParserOptions, type ProtocolErrorCode } from '../src/index';

/** One callback of the parser, in the order it happened. */
export type LogEntry =
  | { kind: 'event'; id: string; event: string; data: string }
  | { kind: 'retry'; ms: number }
  | { kind: 'comment'; text: string }
  | { kind: 'error'; code: ProtocolErrorCode };

/** Parser options a fixture may set (the callbacks are the log's). */
export type LogOptions = Pick<ParserOptions, 'maxBufferSize' | 'lastEventId'>;

/**
 * Feeds `chunks` to a fresh parser and returns every callback it made, in order, followed by nothing
 * else: an unterminated final line or event must leave no trace.
 *
 * @param chunks - the stream, cut into pieces
 * @param options - limits and the starting last event ID
 */
export function parseLog(chunks: Iterable<string>, options: LogOptions = {}): LogEntry[] {
  const log: LogEntry[] = [];
  const parser = createParser({
    ...options,
    onEvent: (event) => log.push({ kind: 'event', ...event }),
    onRetry: (ms) => log.push({ kind: 'retry', ms }),
    onComment: (text) => log.push({ kind: 'comment', text }),
    onError: (error) => log.push({ kind: 'error', code: error.code }),
  });
  for (const chunk of chunks) parser.feed(chunk);
  return log;
}

/** A dispatched event, as the log records it (`id` defaults to `''`, `event` to `'message'`). */
export function ev(data: string, event = 'message', id = ''): LogEntry {
  return { kind: 'event', id, event, data };
}

/** A reported error, as the log records it. */
export function err(code: ProtocolErrorCode): LogEntry {
  return { kind: 'error', code };
}
