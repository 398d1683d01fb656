import { settleUntil } from '@app/test-utils';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { frame, helloFrame } from '../test/support/catalog';
import { FAKE_TIMERS, STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';
import { createShareHub } from '../test/support/share-fakes';
import { joined, openTab, twoTabsAfterOneEvent } from '../test/support/shared-tabs';

const { server } = useMockNetwork();

describe('a shared stream', () => {
  it('is opened once for three tabs; every tab delivers its events and mirrors its snapshot', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const hub = createShareHub();
    const tabs = [openTab(hub), openTab(hub), openTab(hub)];
    await settleUntil(() =>
      expect(tabs.map((tab) => tab.snapshot().state)).toEqual(['open', 'open', 'open']),
    );
    expect(endpoint.received).toHaveLength(1);

    endpoint.latest.send(
      helloFrame({ clientId: 'c9' }) + joined('1') + frame('user:left', { userId: 'u1' }, '2'),
    );
    await settleUntil(() => {
      for (const tab of tabs) expect(tab.delivered).toEqual(['1:user:joined', '2:user:left']);
    });
    expect(
      tabs.map(({ snapshot }) => {
        const { state, lastEventId, clientId, role } = snapshot();
        return { state, lastEventId, clientId, role };
      }),
    ).toEqual([
      { state: 'open', lastEventId: '2', clientId: 'c9', role: 'leader' },
      { state: 'open', lastEventId: '2', clientId: 'c9', role: 'follower' },
      { state: 'open', lastEventId: '2', clientId: 'c9', role: 'follower' },
    ]);
    // Connection counters are the stream's: every tab counts the one connection.
    expect(tabs.map((tab) => tab.counts.opened)).toEqual([1, 1, 1]);
    for (const tab of tabs) tab.loop.close();
  });

  it('survives a crashed leader: the next tab resumes from the last event ID, and a replay reaches every tab once', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const hub = createShareHub();
    const [a, b, c] = [openTab(hub), openTab(hub), openTab(hub)] as const;
    await settleUntil(() => expect(c.snapshot().state).toBe('open'));
    endpoint.latest.send(joined('1') + joined('2'));
    await settleUntil(() => expect(c.delivered).toHaveLength(2));

    a.tab.crash();
    a.loop.close(); // its page is gone: nothing it does reaches the others
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    expect(endpoint.received[1]?.request.headers.get('last-event-id')).toBe('2');
    // The server replays from its buffer: an event every tab has, then one none has.
    endpoint.latest.send(joined('2') + joined('3'));
    await settleUntil(() => {
      for (const tab of [b, c])
        expect(tab.delivered).toEqual(['1:user:joined', '2:user:joined', '3:user:joined']);
    });
    expect([b.snapshot().role, c.snapshot().role]).toEqual(['leader', 'follower']);
    expect(c.states, "a follower sees the handover as the leader's reconnection").toEqual([
      'connecting',
      'open',
      'reconnecting',
      'open',
    ]);
    for (const tab of [b, c]) tab.loop.close();
  });

  it('loses nothing when the leader dies between telling the new last event ID and posting its event', async () => {
    const { endpoint, a, b } = await twoTabsAfterOneEvent(server, createShareHub());

    // The leader's snapshot with ID 2 goes out; it dies as it posts event 2.
    a.tab.crashWhenPosting((message) => (message as { kind?: string }).kind === 'event');
    endpoint.latest.send(joined('2'));
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    a.loop.close();
    expect(
      endpoint.received[1]?.request.headers.get('last-event-id'),
      'the next leader resumes before event 2',
    ).toBe('1');
    endpoint.latest.send(joined('2') + joined('3'));
    await settleUntil(() => expect(b.delivered).toEqual(['1:user:joined', '2:user:joined', '3:user:joined']));
    b.loop.close();
  });

  it('closes every tab, each reporting it, when the server refuses the stream for good', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    endpoint.next(() => new Response('who are you?', { status: 401 }));
    const hub = createShareHub();
    const tabs = [openTab(hub), openTab(hub)];
    await settleUntil(() => {
      for (const tab of tabs) expect(tab.delivered).toEqual(['closed:unauthorized']);
    });
    expect(tabs.map((tab) => [tab.snapshot().state, tab.snapshot().role, tab.errors])).toEqual([
      ['closed', null, ['unauthorized']],
      ['closed', null, ['unauthorized']],
    ]);
    expect(endpoint.received).toHaveLength(1);
  });

  it('serves a tab that joins from an earlier ID what it missed, and resets one whose ID is unknown', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const hub = createShareHub();
    const first = openTab(hub);
    await settleUntil(() => expect(first.snapshot().state).toBe('open'));
    endpoint.latest.send(joined('1') + joined('2') + joined('3'));
    await settleUntil(() => expect(first.delivered).toHaveLength(3));

    const late = openTab(hub, { lastEventId: '1' });
    const lost = openTab(hub, { lastEventId: 'gone' });
    await settleUntil(() => {
      expect(late.delivered).toEqual(['2:user:joined', '3:user:joined']);
      expect(lost.delivered).toEqual(['reset:unknown-id']);
    });
    endpoint.latest.send(joined('4'));
    await settleUntil(() => {
      expect(late.delivered).toEqual(['2:user:joined', '3:user:joined', '4:user:joined']);
      expect(lost.delivered).toEqual(['reset:unknown-id', '4:user:joined']);
    });
    expect(endpoint.received).toHaveLength(1);
    for (const tab of [first, late, lost]) tab.loop.close();
  });

  it('hands the stream over when the leading page freezes, and catches the page up when it resumes', async () => {
    const { endpoint, a, b } = await twoTabsAfterOneEvent(server, createShareHub());

    a.tab.freeze();
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    expect(b.snapshot().role).toBe('leader');
    endpoint.latest.send(joined('2') + joined('3'));
    await settleUntil(() => expect(b.delivered).toHaveLength(3));
    expect(a.delivered, 'nothing reaches the frozen page').toEqual(['1:user:joined']);

    a.tab.thaw();
    await settleUntil(() => expect(a.delivered).toEqual(['1:user:joined', '2:user:joined', '3:user:joined']));
    expect([a.snapshot().role, a.snapshot().lastEventId]).toEqual(['follower', '3']);
    expect(endpoint.received).toHaveLength(2);
    for (const tab of [a, b]) tab.loop.close();
  });

  it('serves a tab that joined with no ID from where it joined, when it connects again under another leader', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const hub = createShareHub();
    const a = openTab(hub);
    await settleUntil(() => expect(a.snapshot().state).toBe('open'));
    endpoint.latest.send(joined('1'));
    await settleUntil(() => expect(a.delivered).toHaveLength(1));
    // Both join with no ID: they hold the stream from event 1 on.
    const [b, c] = [openTab(hub), openTab(hub)] as const;
    await settleUntil(() => expect([b, c].map((tab) => tab.snapshot().lastEventId)).toEqual(['1', '1']));

    b.loop.close();
    endpoint.latest.send(joined('2') + joined('3'));
    await settleUntil(() => expect(c.delivered).toEqual(['2:user:joined', '3:user:joined']));
    a.loop.close();
    await settleUntil(() => expect(c.snapshot().role).toBe('leader'));
    b.loop.connect();
    await settleUntil(() =>
      expect(b.delivered).toEqual(['closed:quietly', '2:user:joined', '3:user:joined']),
    );
    expect(b.snapshot().lastEventId).toBe('3');
    for (const tab of [b, c]) tab.loop.close();
  });

  it('tells a follower it missed events when the new leader resumes from no ID (it joined as the leader died)', async () => {
    const { endpoint, hub, a, b } = await twoTabsAfterOneEvent(server, createShareHub(), true);

    a.tab.crash();
    a.loop.close();
    const c = openTab(hub, {}, true); // no leader welcomes it: it leads, from no ID
    c.election.lead();
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    expect(endpoint.received[1]?.request.headers.get('last-event-id')).toBeNull();
    // What the server sent between the two connections is lost: the follower is told so.
    await settleUntil(() => expect(b.delivered).toEqual(['1:user:joined', 'reset:unknown-id']));
    endpoint.latest.send(joined('5'));
    await settleUntil(() =>
      expect(b.delivered).toEqual(['1:user:joined', 'reset:unknown-id', '5:user:joined']),
    );
    expect(c.delivered).toEqual(['5:user:joined']);
    for (const tab of [b, c]) tab.loop.close();
  });

  it('needs no catch-up from a new leader that resumes from an ID the follower has: the replay covers it', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const hub = createShareHub();
    const a = openTab(hub, {}, true);
    a.election.lead();
    const [b, c] = [openTab(hub, {}, true), openTab(hub, {}, true)] as const;
    await settleUntil(() => expect(c.snapshot().state).toBe('open'));
    endpoint.latest.send(joined('1'));
    await settleUntil(() => expect(c.delivered).toEqual(['1:user:joined']));
    c.tab.freeze();
    endpoint.latest.send(joined('2'));
    await settleUntil(() => expect(b.delivered).toHaveLength(2));

    a.tab.crash();
    a.loop.close();
    c.tab.thaw();
    c.election.lead(); // behind the follower: it resumes from 1
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    expect(endpoint.received[1]?.request.headers.get('last-event-id')).toBe('1');
    endpoint.latest.send(joined('2') + joined('3'));
    const all = ['1:user:joined', '2:user:joined', '3:user:joined'];
    await settleUntil(() => {
      for (const tab of [b, c]) expect(tab.delivered).toEqual(all);
    });
    for (const tab of [b, c]) tab.loop.close();
  });

  it('catches up a leader whose lock was stolen while its page hung, when it runs again', async () => {
    const { endpoint, a, b } = await twoTabsAfterOneEvent(server, createShareHub(), true);

    b.election.lead(); // it took the lock: `a` still leads, hung, and hears nothing
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    endpoint.latest.send(joined('2') + joined('3'));
    const all = ['1:user:joined', '2:user:joined', '3:user:joined'];
    await settleUntil(() => expect(b.delivered).toEqual(all));
    expect(a.delivered).toEqual(['1:user:joined']);

    a.election.follow(true); // it runs again: its lock request rejected
    await settleUntil(() => expect(a.delivered).toEqual(all));
    expect([a.snapshot().role, a.snapshot().lastEventId]).toEqual(['follower', '3']);
    endpoint.latest.send(joined('4'));
    await settleUntil(() => expect(a.delivered).toEqual([...all, '4:user:joined']));
    expect(endpoint.received).toHaveLength(2);
    for (const tab of [a, b]) tab.loop.close();
  });

  it("carries on the group's retry schedule across a handover: the attempts so far, and no request before the Retry-After", async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const endpoint = mockEndpoint(server, STREAM_URL);
    const unavailable = () => new HttpResponse(null, { status: 503, headers: { 'retry-after': '30' } });
    endpoint.next(unavailable);
    endpoint.next(unavailable);
    const hub = createShareHub();
    const a = openTab(hub, {}, true);
    a.election.lead();
    const b = openTab(hub, {}, true);
    await settleUntil(() => expect(b.snapshot().retryAt).not.toBeNull());
    await vi.advanceTimersByTimeAsync((b.snapshot().retryAt as number) - Date.now());
    await settleUntil(() => expect(b.snapshot().attempt).toBe(2));
    const { retryAt } = b.snapshot();

    a.loop.close();
    b.election.lead();
    await settleUntil(() => expect(b.snapshot()).toMatchObject({ role: 'leader', state: 'reconnecting' }));
    expect(b.snapshot()).toMatchObject({ attempt: 2, retryAt });
    await vi.advanceTimersByTimeAsync((retryAt as number) - Date.now() - 1);
    expect(endpoint.received).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await settleUntil(() => expect(b.snapshot().state).toBe('open'));
    expect(endpoint.received).toHaveLength(3);
    b.loop.close();
  });

  it('keeps a tab ahead of a new leader where it is: no reset, no event from before it joined', async () => {
    const { endpoint, hub, a, b: busy } = await twoTabsAfterOneEvent(server, createShareHub(), true);
    busy.tab.busy(); // its page is busy: it hears the leader's next events late
    endpoint.latest.send(joined('2') + joined('3'));
    await settleUntil(() => expect(a.delivered).toHaveLength(3));
    const late = openTab(hub, {}, true); // joins with no ID: it holds the stream from 3
    await settleUntil(() => expect(late.snapshot().lastEventId).toBe('3'));
    endpoint.latest.send(joined('4'));
    await settleUntil(() => expect(late.delivered).toEqual(['4:user:joined']));

    a.loop.close();
    busy.election.lead(); // the lock came before the messages it has not read yet
    busy.tab.idle();
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    expect(endpoint.received[1]?.request.headers.get('last-event-id')).toBe('1');
    endpoint.latest.send(joined('2') + joined('3') + joined('4') + joined('5'));
    await settleUntil(() => expect(busy.delivered.at(-1)).toBe('5:user:joined'));
    await settleUntil(() => expect(late.delivered).toEqual(['4:user:joined', '5:user:joined']));
    expect(late.snapshot().lastEventId).toBe('5');
    for (const tab of [busy, late]) tab.loop.close();
  });

  it('tells a tab that joined from an unknown ID once, across a handover to a leader behind it', async () => {
    const { endpoint, hub, a, b: busy } = await twoTabsAfterOneEvent(server, createShareHub(), true);
    busy.tab.busy();
    endpoint.latest.send(joined('2'));
    await settleUntil(() => expect(a.delivered).toHaveLength(2));
    const stale = openTab(hub, { lastEventId: 'gone' }, true);
    await settleUntil(() => expect(stale.delivered).toEqual(['reset:unknown-id']));

    a.loop.close();
    busy.election.lead();
    busy.tab.idle();
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    endpoint.latest.send(joined('2') + joined('3'));
    await settleUntil(() => expect(busy.delivered.at(-1)).toBe('3:user:joined'));
    await settleUntil(() => expect(stale.delivered).toEqual(['reset:unknown-id', '3:user:joined']));
    for (const tab of [busy, stale]) tab.loop.close();
  });
});
