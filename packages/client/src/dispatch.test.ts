import { HELLO_EVENT } from '@app/sse-protocol';
import { catalogFingerprint } from '@app/sse-protocol/contract';
import { describe, expect, it, vi } from 'vitest';
import { events } from '../test/support/catalog';
import { createDispatcher, type RoutedEvent } from './dispatch';
import type { SseClientError } from './errors';
import { ownFingerprint } from './own-fingerprint';

function dispatcher() {
  const reports: SseClientError[] = [];
  const delivered: string[] = [];
  const dispatch = createDispatcher(events, true, {
    report: (error) => reports.push(error),
    reset: () => {},
    deliver: (name) => delivered.push(name),
    skipped: () => {},
    duplicate: () => {},
  });
  return { dispatch, reports, delivered };
}

const routed = (event: string, data: unknown): RoutedEvent => ({
  event,
  data: JSON.stringify(data),
  id: '',
  ownId: false,
});

const hello = (fields: { fingerprint: string; compatible?: string[] }): RoutedEvent =>
  routed(HELLO_EVENT, { clientId: 'c1', heartbeatMs: 0, ...fields });

/** Every reaction to the client's fingerprint has run: its chunk loaded, the check applied. */
async function catalogChecked(): Promise<void> {
  await ownFingerprint(events);
  await new Promise((resolve) => setImmediate(resolve));
}

describe('the catalog check of sse:hello', () => {
  it('computes the client fingerprint on demand, equal to the protocol one', async () => {
    await expect(ownFingerprint(events)).resolves.toBe(catalogFingerprint(events));
  });

  it('delivers catalog events while the check is pending', () => {
    const { dispatch, delivered } = dispatcher();
    dispatch(hello({ fingerprint: 'sha256:other' }));
    dispatch(routed('user:left', { userId: 'u1' }));
    expect(delivered).toEqual(['user:left']);
  });

  it('drops unknown events quietly when the server turns out compatible, even before the check completes', async () => {
    const { dispatch, reports } = dispatcher();
    dispatch(hello({ fingerprint: 'sha256:newer', compatible: [catalogFingerprint(events)] }));
    dispatch(routed('user:renamed', { userId: 'u1' }));
    await catalogChecked();
    dispatch(routed('user:renamed', { userId: 'u2' }));
    expect(reports).toEqual([]);
  });

  it('reports held unknown events after the mismatch when the server is not compatible', async () => {
    const { dispatch, reports } = dispatcher();
    dispatch(hello({ fingerprint: 'sha256:other' }));
    dispatch(routed('user:renamed', { userId: 'u1' }));
    await vi.waitFor(() => expect(reports).toHaveLength(2));
    expect(reports.map((error) => error.code)).toEqual(['catalog-mismatch', 'unknown-event']);
    expect(reports[0]?.message).toContain(catalogFingerprint(events));
  });

  it('reports unknown events at once once the check has found the same catalog', async () => {
    const { dispatch, reports } = dispatcher();
    dispatch(hello({ fingerprint: catalogFingerprint(events) }));
    await catalogChecked();
    dispatch(routed('user:renamed', { userId: 'u1' }));
    expect(reports.map((error) => error.code)).toEqual(['unknown-event']);
  });

  it('applies only the latest hello when a reconnection reaches another server', async () => {
    const { dispatch, reports } = dispatcher();
    dispatch(hello({ fingerprint: 'sha256:other' }));
    dispatch(hello({ fingerprint: 'sha256:newer', compatible: [catalogFingerprint(events)] }));
    dispatch(routed('user:renamed', { userId: 'u1' }));
    await catalogChecked();
    expect(reports).toEqual([]);
  });

  it('holds unknown events again while a new server is checked, after an old one said compatible', async () => {
    const { dispatch, reports } = dispatcher();
    dispatch(hello({ fingerprint: 'sha256:newer', compatible: [catalogFingerprint(events)] }));
    await catalogChecked();
    dispatch(hello({ fingerprint: 'sha256:other' }));
    dispatch(routed('user:renamed', { userId: 'u1' }));
    await vi.waitFor(() => expect(reports).toHaveLength(2));
    expect(reports.map((error) => error.code)).toEqual(['catalog-mismatch', 'unknown-event']);
  });
});
