import { settle } from '@app/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FAKE_TIMERS } from '../test/support/harness';
import { createShareHub, type FakeTab } from '../test/support/share-fakes';
import {
  type ChannelLike,
  type Election,
  electByHeartbeat,
  electByLock,
  HEARTBEAT_MS,
  LEADER_TIMEOUT_MS,
  LOCK_BEAT_MS,
  LOCK_STEAL_AFTER_MS,
  type LockManagerLike,
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

/**
 * One lock with the Web Locks API's `steal`: the stolen holder's request rejects with an
 * `AbortError` at once, and the stealer holds the lock (the holder's callback runs on unheeded).
 */
function stealableLocks(): () => LockManagerLike {
  interface Request {
    callback: () => Promise<void>;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }
  let holder: Request | undefined;
  const queue: Request[] = [];
  function hold(request: Request): void {
    holder = request;
    request.callback().then(() => {
      if (holder !== request) return;
      holder = undefined;
      request.resolve(undefined);
      queueMicrotask(grant);
    });
  }
  function grant(): void {
    const next = holder === undefined ? queue.shift() : undefined;
    if (next !== undefined) hold(next);
  }
  return () => ({
    request(_name, options, callback) {
      return new Promise((resolve, reject) => {
        const request: Request = { callback: () => Promise.resolve().then(callback), resolve, reject };
        if (options.steal === true) {
          holder?.reject(new DOMException('the lock was stolen', 'AbortError'));
          hold(request);
          return;
        }
        options.signal?.addEventListener('abort', () => {
          const index = queue.indexOf(request);
          if (index < 0) return;
          queue.splice(index, 1);
          reject(new DOMException('the request was aborted', 'AbortError'));
        });
        queue.push(request);
        queueMicrotask(grant);
      });
    },
  });
}

describe('electByLock with beats', () => {
  /** A tab whose page can hang: its channel then carries nothing either way. */
  function candidate(hub: ReturnType<typeof createShareHub>, locks: LockManagerLike, visible = true) {
    const roles: string[] = [];
    const inner = hub.tab().channel('group:election');
    const page = { hung: false, visible };
    const channel: ChannelLike = {
      onmessage: null,
      postMessage: (message) => {
        if (!page.hung) inner.postMessage(message);
      },
      close: () => inner.close(),
    };
    inner.onmessage = (event) => {
      if (!page.hung) channel.onmessage?.(event);
    };
    const election = electByLock(
      locks,
      'group',
      { lead: () => roles.push('lead'), follow: (stolen) => roles.push(stolen ? 'stolen' : 'follow') },
      channel,
      () => page.visible,
    );
    return { election, roles, page };
  }

  it('a visible tab takes the lock from a leader that stays silent; the leader steps down and queues again', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const hub = createShareHub();
    const locks = stealableLocks();
    const a = candidate(hub, locks());
    const hidden = candidate(hub, locks(), false);
    const b = candidate(hub, locks());
    await vi.advanceTimersByTimeAsync(0);
    expect([a.roles, hidden.roles, b.roles]).toEqual([['lead'], [], []]);

    a.page.hung = true; // a long task: no beats, though it holds the lock
    await vi.advanceTimersByTimeAsync(LOCK_STEAL_AFTER_MS - LOCK_BEAT_MS);
    expect(b.roles, 'not before the timeout').toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * LOCK_BEAT_MS);
    expect([a.roles, hidden.roles, b.roles]).toEqual([['lead', 'stolen'], [], ['lead']]);

    // The new leader beats: nobody takes the lock from it, and the old one waits its turn.
    a.page.hung = false;
    await vi.advanceTimersByTimeAsync(10 * LOCK_STEAL_AFTER_MS);
    expect([a.roles, hidden.roles, b.roles]).toEqual([['lead', 'stolen'], [], ['lead']]);
    b.election.leave();
    await vi.advanceTimersByTimeAsync(0);
    expect(hidden.roles, 'the queue keeps its order').toEqual(['lead']);
    hidden.election.leave();
    await vi.advanceTimersByTimeAsync(0);
    expect(a.roles).toEqual(['lead', 'stolen', 'lead']);
    a.election.leave();
  });

  it('a hidden tab never takes the lock, and a leader that beats keeps it', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const hub = createShareHub();
    const locks = stealableLocks();
    const a = candidate(hub, locks());
    const b = candidate(hub, locks());
    const hidden = candidate(hub, locks(), false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect([a.roles, b.roles, hidden.roles]).toEqual([['lead'], [], []]);

    b.election.leave();
    a.page.hung = true;
    await vi.advanceTimersByTimeAsync(60_000);
    expect([a.roles, hidden.roles]).toEqual([['lead'], []]);
    hidden.page.visible = true; // the user looks at it: it takes the lock
    await vi.advanceTimersByTimeAsync(LOCK_BEAT_MS);
    expect([a.roles, hidden.roles]).toEqual([['lead', 'stolen'], ['lead']]);
    a.election.leave();
    hidden.election.leave();
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

  it('the first tab claims after a silent timeout; a tab that hears the leader follows it', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const hub = createShareHub();
    const a = candidate(hub, 'a');
    await vi.advanceTimersByTimeAsync(LEADER_TIMEOUT_MS);
    expect(leads(a), 'waits for an answer first').toBe(false);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
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
    await vi.advanceTimersByTimeAsync(LEADER_TIMEOUT_MS + HEARTBEAT_MS);
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
    await vi.advanceTimersByTimeAsync(LEADER_TIMEOUT_MS + HEARTBEAT_MS);
    expect([x.roles, y.roles]).toEqual([['lead'], ['lead']]);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect([x.roles, y.roles]).toEqual([['lead'], ['lead', 'follow']]);
    x.election.leave();
    y.election.leave();
  });

  it('a tab that opens just after the leader crashed does not claim before the older followers', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const hub = createShareHub();
    const a = candidate(hub, 'a');
    await vi.advanceTimersByTimeAsync(LEADER_TIMEOUT_MS + HEARTBEAT_MS);
    const b = candidate(hub, 'b');
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS + 10);
    expect(leads(a)).toBe(true);

    a.tab.crash();
    // Opening a moment later, the new tab would claim first and lead from its own empty last
    // event ID, and the server would not replay what the older tab missed since the crash.
    await vi.advanceTimersByTimeAsync(100);
    const fresh = candidate(hub, 'c');
    await vi.advanceTimersByTimeAsync(3 * LEADER_TIMEOUT_MS);
    expect([b.roles, fresh.roles]).toEqual([['lead'], []]);
    a.election.leave();
    b.election.leave();
    fresh.election.leave();
  });
});
