import { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import { createParser, type ParsedEvent } from '@app/sse-protocol';

/** Resolves when `condition` holds after a change, or rejects after `timeoutMs`. */
function waiter(
  checks: Set<() => void>,
  condition: () => boolean,
  what: string,
  timeoutMs: number,
): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!condition()) return;
      clearTimeout(timer);
      checks.delete(check);
      resolve();
    };
    const timer = setTimeout(() => {
      checks.delete(check);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    checks.add(check);
  });
}

/** A stream read byte by byte by a plain `node:http` client, parsed with the protocol's parser. */
export interface RawStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every byte received, as text. */
  readonly text: string;
  /** Every dispatched event, in order. */
  readonly events: ParsedEvent[];
  /** Every comment. */
  readonly comments: string[];
  /** Every `retry:` value. */
  readonly retries: number[];
  /** The parser's last event ID (what an EventSource would send on reconnect). */
  readonly lastEventId: string;
  /** Whether the response ended or the socket closed. */
  readonly ended: boolean;
  /** Waits until `count` events arrived, and returns them all. */
  waitForEvents(count: number, timeoutMs?: number): Promise<ParsedEvent[]>;
  /** Waits for the response to end. */
  waitForEnd(timeoutMs?: number): Promise<void>;
  /** Catalog events only (no `sse:` protocol events). */
  catalogEvents(): ParsedEvent[];
  res: IncomingMessage;
  req: ClientRequest;
  destroy(): void;
}

/** Options of {@link openRaw}. */
export interface RawOptions {
  headers?: Record<string, string>;
  method?: string;
  /** Do not read the body (a reader that never reads). */
  paused?: boolean;
  /** Called with each received chunk. */
  onChunk?: (chunk: string, stream: RawStream) => void;
}

/**
 * Opens `url` with `node:http` and parses the body as it arrives.
 *
 * @param url - the stream URL
 * @param options - headers, method, paused
 */
export function openRaw(url: string, options: RawOptions = {}): Promise<RawStream> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let text = '';
        let ended = false;
        const events: ParsedEvent[] = [];
        const checks = new Set<() => void>();
        const changed = () => {
          for (const check of [...checks]) check();
        };
        const comments: string[] = [];
        const retries: number[] = [];
        const parser = createParser({
          onEvent: (event) => events.push(event),
          onComment: (comment) => comments.push(comment),
          onRetry: (retry) => retries.push(retry),
        });
        const stream: RawStream = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          get text() {
            return text;
          },
          events,
          comments,
          retries,
          get lastEventId() {
            return parser.lastEventId;
          },
          get ended() {
            return ended;
          },
          async waitForEvents(count, timeoutMs = 5000) {
            await waiter(checks, () => events.length >= count, `${count} events`, timeoutMs);
            return events;
          },
          waitForEnd: (timeoutMs = 5000) => waiter(checks, () => ended, 'the end of the stream', timeoutMs),
          catalogEvents: () => events.filter((event) => !event.event.startsWith('sse:')),
          res,
          req,
          destroy: () => req.destroy(),
        };
        res.setEncoding('utf8');
        const end = () => {
          ended = true;
          changed();
        };
        res.on('close', end);
        res.on('error', end);
        if (options.paused) res.pause();
        else {
          res.on('data', (chunk: string) => {
            text += chunk;
            parser.feed(chunk);
            options.onChunk?.(chunk, stream);
            changed();
          });
        }
        resolve(stream);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
