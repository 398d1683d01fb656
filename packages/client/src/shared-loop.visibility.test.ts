import { settleUntil } from '@app/test-utils';
import { describe, expect, it } from 'vitest';
import { STREAM_URL, useMockNetwork } from '../test/support/harness';
import { mockEndpoint } from '../test/support/mock-endpoint';
import { createShareHub } from '../test/support/share-fakes';
import { joined, openTab, twoTabsAfterOneEvent } from '../test/support/shared-tabs';

const { server } = useMockNetwork();

describe('a shared stream with pauseWhenHidden', () => {
  it('pauses only while every tab is hidden, and resumes from the last event ID when one is shown', async () => {
    const { endpoint, a, b } = await twoTabsAfterOneEvent(server, createShareHub(), false, {
      pauseWhenHidden: true,
    });
    expect(a.snapshot().role).toBe('leader');

    a.tab.hide(); // the leading tab is hidden, the other one is not: the stream stays open
    endpoint.latest.send(joined('2'));
    await settleUntil(() => expect(b.delivered).toEqual(['1:user:joined', '2:user:joined']));
    expect(a.snapshot().paused).toBeNull();

    b.tab.hide();
    await settleUntil(() => {
      for (const tab of [a, b]) expect(tab.snapshot().paused).toBe('hidden');
    });
    expect(endpoint.received).toHaveLength(1);

    b.tab.show(); // a follower shown again: the leader reconnects for the group
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    expect(endpoint.received[1]?.request.headers.get('last-event-id')).toBe('2');
    endpoint.latest.send(joined('3'));
    const all = ['1:user:joined', '2:user:joined', '3:user:joined'];
    await settleUntil(() => {
      for (const tab of [a, b]) expect(tab.delivered).toEqual(all);
    });
    expect([a.snapshot().paused, b.snapshot().paused]).toEqual([null, null]);
    for (const tab of [a, b]) tab.loop.close();
  });

  it('counts a tab that leaves as hidden', async () => {
    const { endpoint, a, b } = await twoTabsAfterOneEvent(server, createShareHub(), false, {
      pauseWhenHidden: true,
    });
    a.tab.hide();
    endpoint.latest.send(joined('2'));
    await settleUntil(() => expect(b.delivered).toHaveLength(2));

    b.loop.close(); // the only visible tab closes
    await settleUntil(() => expect(a.snapshot().paused).toBe('hidden'));
    a.tab.show();
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    a.loop.close();
  });

  it('lets a new leader know from the start which tabs are visible (a tab that joins learns it from the welcome)', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const hub = createShareHub();
    const options = { pauseWhenHidden: true };
    const a = openTab(hub, options, true);
    a.election.lead();
    const visible = openTab(hub, options, true);
    await settleUntil(() => expect(visible.snapshot().state).toBe('open'));
    // `b` joins after the visible tab, so it hears of that tab only in the leader's welcome.
    const b = openTab(hub, options, true);
    b.tab.hide();
    await settleUntil(() => expect(b.snapshot().state).toBe('open'));

    a.loop.close();
    b.election.lead(); // hidden, but the group has a visible tab: it connects
    await settleUntil(() => expect(endpoint.received).toHaveLength(2));
    endpoint.latest.send(joined('1'));
    await settleUntil(() => expect(visible.delivered).toEqual(['1:user:joined']));
    expect(b.snapshot().paused).toBeNull();
    for (const tab of [b, visible]) tab.loop.close();
  });

  it('counts a tab without the option as visible until it leaves', async () => {
    const endpoint = mockEndpoint(server, STREAM_URL);
    const hub = createShareHub();
    const a = openTab(hub, { pauseWhenHidden: true });
    a.tab.hide();
    await settleUntil(() => expect(a.snapshot().paused).toBe('hidden'));
    const b = openTab(hub); // never hidden for the group: it has no pauseWhenHidden
    b.tab.hide();
    await settleUntil(() => expect(endpoint.received).toHaveLength(1));
    await settleUntil(() => expect(b.snapshot().state).toBe('open'));

    b.loop.close();
    await settleUntil(() => expect(a.snapshot().paused).toBe('hidden'));
    a.loop.close();
  });

  it('is never paused without the option, even when every tab is hidden', async () => {
    const { endpoint, a, b } = await twoTabsAfterOneEvent(server, createShareHub());
    a.tab.hide();
    b.tab.hide();
    endpoint.latest.send(joined('2'));
    await settleUntil(() => {
      for (const tab of [a, b]) expect(tab.delivered).toEqual(['1:user:joined', '2:user:joined']);
    });
    expect([a.snapshot().paused, b.snapshot().paused, endpoint.received.length]).toEqual([null, null, 1]);
    for (const tab of [a, b]) tab.loop.close();
  });
});
