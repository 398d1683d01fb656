import { defineEvents } from '@app/sse-protocol';
import {
  type CatalogContract,
  catalogFingerprint,
  checkCompatibility,
  toContract,
} from '@app/sse-protocol/contract';
import { createEmitter, createMemoryStore, type Emitter, type ReplayStore } from '@app/sse-server';
import { listen, settle, waitFor } from '@app/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient } from '../src/client';
import type { SseClientError } from '../src/errors';

// A server on catalog v2 and clients built with v1, over real HTTP: what teams see during a deploy.

const v1 = defineEvents({
  'user:joined': z.object({ userId: z.string(), name: z.string() }),
  notification: z.object({ message: z.string() }),
});
// Compatible both ways: an optional field and a new event.
const v2 = defineEvents({
  'user:joined': z.object({ userId: z.string(), name: z.string(), avatarUrl: z.string().optional() }),
  notification: z.object({ message: z.string() }),
  'job:done': z.object({ jobId: z.string() }),
});
// Breaks forward (old clients require `name`) and backward (events stored before lack `team`).
const v2Breaking = defineEvents({
  'user:joined': z.object({ userId: z.string(), team: z.string() }),
  notification: z.object({ message: z.string() }),
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve<C extends typeof v1 | typeof v2 | typeof v2Breaking>(
  events: C,
  options: { store?: ReplayStore; compatibleWith?: CatalogContract[] } = {},
) {
  const sse: Emitter<C> = createEmitter({ events, heartbeatMs: 0, retryMs: 20, ...options });
  const server = await listen(sse.handler());
  cleanups.push(
    () => sse.close(),
    () => server.close(),
  );
  return { sse, url: `${server.origin}/events` };
}

function v1Client(url: string, lastEventId?: string) {
  const client = createClient({
    url,
    events: v1,
    backoff: { initialMs: 20 },
    ...(lastEventId ? { lastEventId } : {}),
  });
  cleanups.push(() => client.close());
  const joined: unknown[] = [];
  const errors: SseClientError[] = [];
  client.on('user:joined', (data) => void joined.push(data));
  client.onError((error) => void errors.push(error));
  return { client, joined, errors };
}

describe('a v1 client on a v2 server', { timeout: 20_000 }, () => {
  it('compatible, and told so: no error, new fields dropped, new event types skipped and counted', async () => {
    const { sse, url } = await serve(v2, { compatibleWith: [toContract(v1)] });
    const { client, joined, errors } = v1Client(url);
    await waitFor(() => expect(client.getSnapshot().clientId).not.toBeNull());
    await sse.broadcast('job:done', { jobId: 'j1' });
    await sse.broadcast('user:joined', {
      userId: 'u1',
      name: 'Ada',
      avatarUrl: 'https://example.test/a.png',
    });
    await waitFor(() => expect(joined).toEqual([{ userId: 'u1', name: 'Ada' }]));
    expect(client.skippedEvents).toBe(1);
    expect(errors).toEqual([]);
  });

  it('breaking, and told which change breaks it: catalog-mismatch with the first finding', async () => {
    const { url } = await serve(v2Breaking, { compatibleWith: [toContract(v1)] });
    const { errors } = v1Client(url);
    await waitFor(() => expect(errors.map((error) => error.code)).toEqual(['catalog-mismatch']));
    expect(errors[0]?.message).toContain(
      `breaks the client's (${catalogFingerprint(v1)}): user:joined required field $.name was removed: clients built before the change require it`,
    );
  });

  it('not listed in compatibleWith: catalog-mismatch, and unknown events reported', async () => {
    const { sse, url } = await serve(v2);
    const { client, errors } = v1Client(url);
    await waitFor(() => expect(errors.map((error) => error.code)).toEqual(['catalog-mismatch']));
    await sse.broadcast('job:done', { jobId: 'j1' });
    await waitFor(() =>
      expect(errors.map((error) => error.code)).toEqual(['catalog-mismatch', 'unknown-event']),
    );
    expect(client.skippedEvents).toBe(1);
  });
});

describe('replays that cross a deploy (events stored under the previous catalog)', {
  timeout: 20_000,
}, () => {
  /** A store both emitters share, as two deployments share Redis; only the test closes it. */
  function sharedStore(): ReplayStore {
    const store = createMemoryStore();
    return { ...store, close: async () => {} };
  }

  async function storeUnderV1(store: ReplayStore) {
    const before = await serve(v1, { store });
    const first = await before.sse.broadcast('notification', { message: 'before the deploy' });
    await before.sse.broadcast('user:joined', { userId: 'u1', name: 'Ada' });
    await before.sse.close();
    return first.id;
  }

  it('backward compatible: a v2 client resumes through v1 events without an error', async () => {
    expect(checkCompatibility(v1, v2, { mode: 'backward' }).compatible).toBe(true);
    const store = sharedStore();
    const from = await storeUnderV1(store);
    const after = await serve(v2, { store });
    const client = createClient({
      url: after.url,
      events: v2,
      lastEventId: from,
      backoff: { initialMs: 20 },
    });
    cleanups.push(() => client.close());
    const joined: unknown[] = [];
    const errors: SseClientError[] = [];
    client.on('user:joined', (data) => void joined.push(data));
    client.onError((error) => void errors.push(error));
    await waitFor(() => expect(joined).toEqual([{ userId: 'u1', name: 'Ada' }]));
    await settle();
    expect(errors).toEqual([]);
  });

  it('backward breaking (the check says so): the replayed v1 event fails validation on a v2 client', async () => {
    expect(checkCompatibility(v1, v2Breaking, { mode: 'backward' }).compatible).toBe(false);
    const store = sharedStore();
    const from = await storeUnderV1(store);
    const after = await serve(v2Breaking, { store });
    const client = createClient({
      url: after.url,
      events: v2Breaking,
      lastEventId: from,
      backoff: { initialMs: 20 },
    });
    cleanups.push(() => client.close());
    const errors: SseClientError[] = [];
    client.onError((error) => void errors.push(error));
    await waitFor(() =>
      expect(errors.map((error) => [error.code, error.event])).toEqual([
        ['validation-failed', 'user:joined'],
      ]),
    );
  });
});
