import { settleUntil } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { mockStream, sseResponse } from '../test/support/mock-endpoint';
import { createFetchTransport } from './fetch-transport';
import type { ConnectionEnd, ConnectRequest, TransportSink } from './transport';

/** A sink recording what the transport reports; `onOpen` runs inside `open()`. */
function recordingSink(onOpen: () => void = () => {}) {
  const calls: string[] = [];
  const ends: ConnectionEnd[] = [];
  const sink: TransportSink = {
    open: () => {
      calls.push('open');
      onOpen();
    },
    activity: () => void calls.push('activity'),
    event: (event) => void calls.push(`event:${event.event}`),
    lastEventId: (id) => void calls.push(`id:${id}`),
    retry: (ms) => void calls.push(`retry:${ms}`),
    parseError: (error) => void calls.push(`parse:${error.code}`),
    end: (outcome) => void ends.push(outcome),
  };
  return { sink, calls, ends };
}

/** A fetch whose Response body the abort signal cannot reach, with a flag telling whether it was cancelled. */
function detachedBodyFetch() {
  const stream = mockStream();
  let cancelled = false;
  const source = stream.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await source.read();
      if (cancelled) return;
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel() {
      cancelled = true;
    },
  });
  const request: ConnectRequest = {
    url: 'http://sse.test/events',
    baseUrl: undefined,
    headers: undefined,
    method: 'GET',
    body: undefined,
    credentials: undefined,
    EventSource: undefined,
    maxBufferSize: 1024,
    lastEventId: '',
    fetch: async () => sseResponse({ ...stream, body }),
  };
  return { request, stream, cancelled: () => cancelled };
}

describe('createFetchTransport', () => {
  it('cancels the body when aborted from inside open(), before reading it', async () => {
    const target = detachedBodyFetch();
    let abort = () => {};
    const { sink, calls, ends } = recordingSink(() => abort());
    abort = createFetchTransport()(target.request, sink);
    await settleUntil(() => expect(target.cancelled(), 'the body to be cancelled').toBe(true));
    target.stream.send('data: late\n\n');
    // An in-memory body: whatever the late chunk could cause runs in promise jobs, all done before
    // the next loop turn.
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['open']);
    expect(ends).toEqual([]);
  });

  it('cancels the body when aborted while reading it', async () => {
    const target = detachedBodyFetch();
    const { sink, calls } = recordingSink();
    const abort = createFetchTransport()(target.request, sink);
    await settleUntil(() => expect(calls).toContain('open'));
    target.stream.send('event: a\ndata: 1\n\n');
    await settleUntil(() => expect(calls).toContain('event:a'));
    abort();
    await settleUntil(() => expect(target.cancelled(), 'the body to be cancelled').toBe(true));
  });
});
