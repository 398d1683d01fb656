import { messageOf, SseClientError } from './errors';
import type { Transport } from './transport';

/**
 * A transport whose code loads on its first connection: the `eventsource` transport is a chunk of
 * its own, so that apps on the default `fetch` transport never download it. A connection aborted
 * while the code loads opens nothing; connections made meanwhile wait for the same load. When
 * loading fails (a chunk the network could not fetch), the connection fails as a network error
 * would, and the next attempt loads again.
 *
 * @param load - loads the transport
 * @returns a transport that hands each connection to the loaded one
 */
export function transportOnDemand(load: () => Promise<Transport>): Transport {
  let loaded: Transport | undefined;
  let loading: Promise<Transport> | undefined;
  return (request, sink) => {
    if (loaded !== undefined) return loaded(request, sink);
    loading ??= load().then(
      (transport) => (loaded = transport),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    let aborted = false;
    let abort: (() => void) | undefined;
    loading.then(
      (transport) => {
        if (!aborted) abort = transport(request, sink);
      },
      (error: unknown) => {
        if (aborted) return;
        const message = `the transport's code could not load: ${messageOf(error)}`;
        sink.end({
          kind: 'failed',
          error: new SseClientError('network', message, { cause: error }),
          retryable: true,
        });
      },
    );
    return () => {
      aborted = true;
      abort?.();
    };
  };
}
