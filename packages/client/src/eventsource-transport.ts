import type { messageOf, SseClientError } from './errors';
import type { resolveOption, withLastEventIdQuery } from './request';
import type { statusEnd } from './response-check';
import type { EventSourceLike } from './runtime-types';
import type { ConnectRequest, Transport, TransportSink } from './transport';

/**
 * What the `eventsource` transport shares with the rest of the client. This file is a chunk loaded
 * on demand; taking these as arguments rather than imports keeps them in the client's main chunk,
 * so that an app does not load a third chunk of shared code before it can run.
 */
export interface EventSourceTransportParts {
  SseClientError: typeof SseClientError;
  messageOf: typeof messageOf;
  statusEnd: typeof statusEnd;
  resolveOption: typeof resolveOption;
  withLastEventIdQuery: typeof withLastEventIdQuery;
}

const CLOSED = 2;

/**
 * The `eventsource` transport: a native `EventSource` (or a polyfill), which the client controls.
 * A native `EventSource` reconnects on its own, with its own fixed delay and without a way to set
 * headers on the new request; so on its first `error` the client closes it and reconnects itself
 * with backoff, passing the last event ID as the `lastEventId` query parameter.
 *
 * An `EventSource` only dispatches the event names it is listened to, hides comments, `retry:`
 * fields and (natively) status codes: `names` lists what to listen to; the `eventsource` package's
 * `code` on error events is used when present.
 *
 * @param names - every event name to listen to (the catalog's, the protocol's and `message`)
 * @param parts - the client code it uses
 * @returns the transport
 */
export function createEventSourceTransport(
  names: readonly string[],
  parts: EventSourceTransportParts,
): Transport {
  const { SseClientError, messageOf, statusEnd, resolveOption, withLastEventIdQuery } = parts;
  return (request: ConnectRequest, sink: TransportSink) => {
    let aborted = false;
    let source: EventSourceLike | undefined;

    function onOpen(): void {
      if (!aborted) sink.open();
    }

    function onMessage(event: Event): void {
      if (aborted) return;
      const message = event as MessageEvent<string>;
      sink.activity(0);
      // A new EventSource starts with an empty last event ID, so `''` means "none set on this
      // connection yet" (an explicit empty `id:` cannot be told apart; it keeps the previous ID).
      sink.event({
        event: message.type,
        data: message.data,
        id: message.lastEventId === '' ? undefined : message.lastEventId,
      });
    }

    function onError(event: Event): void {
      if (aborted) return;
      // Read before stop(): closing it sets readyState to CLOSED.
      const refused = source?.readyState === CLOSED;
      stop();
      aborted = true;
      const { code, message } = event as Event & { code?: unknown; message?: unknown };
      const detail = typeof message === 'string' && message !== '' ? `: ${message}` : '';
      if (typeof code === 'number') {
        // The `eventsource` package fails a 200 only for its content type.
        sink.end(
          code === 200
            ? {
                kind: 'failed',
                retryable: false,
                error: new SseClientError('content-type', `the EventSource refused the response${detail}`, {
                  status: 200,
                  fatal: true,
                }),
              }
            : statusEnd(code, '', null, Date.now()),
        );
        return;
      }
      // A native EventSource that gives up (readyState CLOSED) refused the response (status or
      // content type, it does not say which); otherwise the stream broke. Both are retried with
      // backoff: a 401 is then retried slowly, which beats treating a 503 as final.
      sink.end({
        kind: 'failed',
        retryable: true,
        error: new SseClientError(
          refused ? 'http-status' : 'network',
          refused
            ? `the EventSource refused the response${detail}`
            : `the EventSource connection failed${detail}`,
        ),
      });
    }

    function stop(): void {
      if (source === undefined) return;
      source.removeEventListener('open', onOpen);
      source.removeEventListener('error', onError);
      for (const name of names) source.removeEventListener(name, onMessage);
      source.close();
      source = undefined;
    }

    async function run(): Promise<void> {
      let url: string;
      try {
        url = withLastEventIdQuery(await resolveOption(request.url), request.lastEventId, request.baseUrl);
      } catch (cause) {
        if (!aborted) {
          sink.end({
            kind: 'failed',
            retryable: true,
            error: new SseClientError('request', `could not build the request: ${messageOf(cause)}`, {
              cause,
            }),
          });
        }
        return;
      }
      if (aborted || request.EventSource === undefined) return;
      try {
        source = new request.EventSource(url, { withCredentials: request.credentials === 'include' });
      } catch (cause) {
        aborted = true;
        sink.end({
          kind: 'failed',
          retryable: false,
          error: new SseClientError('request', `could not create the EventSource: ${messageOf(cause)}`, {
            cause,
            fatal: true,
          }),
        });
        return;
      }
      source.addEventListener('open', onOpen);
      source.addEventListener('error', onError);
      for (const name of names) source.addEventListener(name, onMessage);
    }

    run().catch((cause: unknown) => {
      if (aborted) return;
      stop();
      aborted = true;
      sink.end({
        kind: 'failed',
        retryable: true,
        error: new SseClientError('network', `the EventSource failed: ${messageOf(cause)}`, { cause }),
      });
    });

    return () => {
      aborted = true;
      stop();
    };
  };
}
