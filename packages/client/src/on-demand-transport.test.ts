import { describe, expect, it } from 'vitest';
import { isSseClientError } from './errors';
import { transportOnDemand } from './on-demand-transport';
import type { ConnectionEnd, ConnectRequest, Transport, TransportSink } from './transport';

const REQUEST = {} as ConnectRequest;

/** A sink recording what it hears, and the end it was told. */
function recordingSink() {
  const heard: string[] = [];
  const ends: ConnectionEnd[] = [];
  const sink: TransportSink = {
    open: () => void heard.push('open'),
    activity: () => void heard.push('activity'),
    event: (event) => void heard.push(`event ${event.data}`),
    lastEventId: (id) => void heard.push(`id ${id}`),
    retry: (ms) => void heard.push(`retry ${ms}`),
    parseError: () => void heard.push('parse-error'),
    end: (outcome) => void ends.push(outcome),
  };
  return { sink, heard, ends };
}

/** A transport that opens at once and records its connections and aborts. */
function openingTransport() {
  const log: string[] = [];
  const transport: Transport = (_request, sink) => {
    log.push('connect');
    sink.open();
    return () => void log.push('abort');
  };
  return { transport, log };
}

/** A load the test settles by hand. */
function manualLoad() {
  const calls: { resolve: (transport: Transport) => void; reject: (error: unknown) => void }[] = [];
  const load = () => new Promise<Transport>((resolve, reject) => void calls.push({ resolve, reject }));
  return { load, calls };
}

/** A transport loaded on demand, with the transport it loads and the loads it started. */
function onDemandSetup() {
  const { transport, log } = openingTransport();
  const { load, calls } = manualLoad();
  return { onDemand: transportOnDemand(load), transport, log, calls };
}

describe('transportOnDemand', () => {
  it('loads once, hands the first connection over when loaded, and later ones at once', async () => {
    const { onDemand, transport, log, calls } = onDemandSetup();
    const first = recordingSink();
    onDemand(REQUEST, first.sink);
    expect(first.heard).toEqual([]);
    calls[0]?.resolve(transport);
    await expect.poll(() => first.heard).toEqual(['open']);
    const second = recordingSink();
    const abort = onDemand(REQUEST, second.sink);
    expect(second.heard).toEqual(['open']);
    abort();
    expect(calls).toHaveLength(1);
    expect(log).toEqual(['connect', 'connect', 'abort']);
  });

  it('opens nothing for a connection aborted while the code loads', async () => {
    const { onDemand, transport, log, calls } = onDemandSetup();
    const aborted = recordingSink();
    onDemand(REQUEST, aborted.sink)();
    const waiting = recordingSink();
    onDemand(REQUEST, waiting.sink);
    calls[0]?.resolve(transport);
    await expect.poll(() => waiting.heard).toEqual(['open']);
    expect(calls).toHaveLength(1);
    expect(log).toEqual(['connect']);
    expect(aborted.heard).toEqual([]);
    expect(aborted.ends).toEqual([]);
  });

  it('fails the connection as a retryable network error when loading fails, and loads again next time', async () => {
    const { onDemand, transport, log, calls } = onDemandSetup();
    const first = recordingSink();
    onDemand(REQUEST, first.sink);
    calls[0]?.reject(new TypeError('Failed to fetch dynamically imported module'));
    await expect.poll(() => first.ends).toHaveLength(1);
    const end = first.ends[0];
    expect(end?.kind).toBe('failed');
    if (end?.kind !== 'failed') return;
    expect(end.retryable).toBe(true);
    expect(isSseClientError(end.error) && end.error.code).toBe('network');
    expect(end.error.message).toContain('Failed to fetch dynamically imported module');

    const second = recordingSink();
    onDemand(REQUEST, second.sink);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve(transport);
    await expect.poll(() => second.heard).toEqual(['open']);
    expect(log).toEqual(['connect']);
  });

  it('says nothing of a failed load to a connection aborted meanwhile', async () => {
    const { onDemand, calls } = onDemandSetup();
    const aborted = recordingSink();
    onDemand(REQUEST, aborted.sink)();
    const waiting = recordingSink();
    onDemand(REQUEST, waiting.sink);
    calls[0]?.reject(new Error('offline'));
    await expect.poll(() => waiting.ends).toHaveLength(1);
    expect(aborted.ends).toEqual([]);
  });
});
