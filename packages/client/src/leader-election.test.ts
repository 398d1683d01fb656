import { settle } from '@app/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FAKE_TIMERS } from '../test/support/harness';
import { createShareHub, type FakeTab } from '../test/support/share-fakes';
import {
  type Election,
  electByHeartbeat,
  electByLock,
  HEARTBEAT_MS,
  LEADER_TIMEOUT_MS,
} from './leader-election';

afterEach(() => vi.useRealTimers());

/** A tab in an election, with the roles it was told, in order. */
interface Candidate {
  tab: FakeTab;
  election: Election;
  roles: string[];
}

function leads(candidate: Candidate): boolean {
  return candidate.roles.at(-1) === 'lead';
}

describe('electByLock', () => {
  function candidate(tab: FakeTab): Candidate {
    const roles: string[] = [];
    const election = electByLock(tab.locks, 'group', {
      lead: () => roles.push('lead'),
      follow: () => roles.push('follow'),
    });
    return { tab, election, roles };
  }

  it('lets one tab lead at a time, and hands over in request order when the leader leaves or crashes', async () => {
    const hub = createShareHub();
    const [a, b, c, d] = [hub.tab(), hub.tab(), hub.tab(), hub.tab()].map(candidate) as Candidate[] as [
      Candidate,
      Candidate,
      Candidate,
      Candidate,
    ];
    await settle();
    expect([a, b, c, d].map(leads)).toEqual([true, false, false, false]);

    a.election.leave();
    await settle();
    expect([b, c, d].map(leads)).toEqual([true, false, false]);

    // A queued tab that leaves never leads; a crashed leader's lock goes to the next in line.
    c.election.leave();
    b.tab.crash();
    await settle();
    expect([c, d].map(leads)).toEqual([false, true]);
    expect([a, b, c, d].map((entry) => entry.roles)).toEqual([['lead'], ['lead'], [], ['lead']]);
  });
});

describe('electByHeartbeat', () => {
  function candidate(hub: ReturnType<typeof createShareHub>, id: string, random = () => 0.5): Candidate {
    const tab = hub.tab();
    const roles: string[] = [];
    const election = electByHeartbeat(
      tab.channel('group:election'),
      id,
      { lead: () => roles.push('lead'), follow: () => roles.push('follow') },
      random,
    );
    return { tab, election, roles };
  }

  it('the first tab claims after two silent heartbeats; a tab that hears the leader follows it', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const hub = createShareHub();
    const a = candidate(hub, 'a');
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect(leads(a), 'waits for an answer first').toBe(false);
    await vi.advanceTimersByTimeAsync(2 * HEARTBEAT_MS);
    expect(leads(a)).toBe(true);

    const b = candidate(hub, 'b');
    await vi.advanceTimersByTimeAsync(10 * LEADER_TIMEOUT_MS);
    expect([a.roles, b.roles]).toEqual([['lead'], []]);
    a.election.leave();
    b.election.leave();
  });

  it('takes over within a heartbeat after the leader resigns, and within the timeout after it crashes', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const hub = createShareHub();
    const a = candidate(hub, 'a');
    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_MS);
    const b = candidate(hub, 'b', () => 0.9);
    const c = candidate(hub, 'c', () => 0.1);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);

    a.election.leave();
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    // The tab with the shorter random wait claimed first; the other heard its beat and stayed.
    expect([b.roles, c.roles]).toEqual([[], ['lead']]);

    c.tab.crash();
    await vi.advanceTimersByTimeAsync(LEADER_TIMEOUT_MS);
    expect(leads(b), 'not before the timeout').toBe(false);
    await vi.advanceTimersByTimeAsync(2 * HEARTBEAT_MS);
    expect(b.roles).toEqual(['lead']);
    b.election.leave();
  });

  it('settles on one leader when two claim at once: the larger ID steps down', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    // Messages take 20 ms: both claim before either hears the other.
    const hub = createShareHub({ latencyMs: 20 });
    const y = candidate(hub, 'y');
    const x = candidate(hub, 'x');
    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_MS);
    expect([x.roles, y.roles]).toEqual([['lead'], ['lead']]);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect([x.roles, y.roles]).toEqual([['lead'], ['lead', 'follow']]);
    x.election.leave();
    y.election.leave();
  });
});
