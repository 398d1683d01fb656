import { type ClientRequest, request } from 'node:http';
import { createParser } from '@app/sse-protocol';

/** What the soak's sessions did, all together. */
export interface SessionTally {
  /** Sessions started. */
  sessions: number;
  /** Ticks received and checked. */
  deliveries: number;
  /**
   * Connections the client cut mid-stream and then resumed. Counted when the cut connection has
   * closed and its resume is scheduled: a cut whose close comes after the session left (its
   * lifetime or the soak ended in between) has nothing to resume and is not counted.
   */
  cuts: number;
  /** Pauses of reading (slow readers). */
  slowPauses: number;
  /** Reconnections with `Last-Event-ID` after a cut, a drop or a server close. */
  resumes: number;
  /** Broken promises: a gap, a repeat or a reset. */
  failures: string[];
}

/** How one session behaves, drawn by the soak from its seeded random numbers. */
export interface SessionPlan {
  /** How long the client stays before it leaves for good. */
  lifetimeMs: number;
  /** When (from its start) it cuts its connection and resumes, if it does. */
  cutAtMs?: number;
  /** When it stops reading, and for how long, if it is a slow reader. */
  pause?: { atMs: number; forMs: number };
}

const MAX_FAILURES_KEPT = 20;

/**
 * Runs one client session of the soak: a stream that resumes with its last event ID whenever it
 * is cut (by itself, by the server dropping it as slow, or by the network), checking that every
 * tick follows the one before it (no gap, no repeat, no reset), until its lifetime ends.
 *
 * @param port - the server's port on 127.0.0.1
 * @param plan - its lifetime, cut and pause
 * @param tally - where it counts what it did and what went wrong
 * @param stop - ends it before its lifetime (the soak is over)
 * @returns a promise that resolves when it has left
 */
export function runSession(
  port: number,
  plan: SessionPlan,
  tally: SessionTally,
  stop: AbortSignal,
): Promise<void> {
  tally.sessions += 1;
  const id = tally.sessions;
  let lastEventId = '';
  let lastN: number | undefined;
  let current: ClientRequest | undefined;
  let leaving = false;
  let cutPending = false; // this client destroyed the current connection: its close is the cut's
  const fail = (message: string) => {
    if (tally.failures.length < MAX_FAILURES_KEPT) tally.failures.push(`session ${id}: ${message}`);
    else tally.failures[MAX_FAILURES_KEPT - 1] = `… and more (last: session ${id}: ${message})`;
  };

  function connect(): void {
    if (leaving) return; // a reconnection scheduled just before the session left
    const headers: Record<string, string> = lastEventId === '' ? {} : { 'Last-Event-ID': lastEventId };
    const req = request({ host: '127.0.0.1', port, path: '/events', headers, agent: false }, (res) => {
      res.setEncoding('utf8');
      const parser = createParser({
        onEvent(event) {
          if (event.id !== '') lastEventId = event.id;
          if (event.event === 'sse:reset') fail(`reset: ${event.data}`);
          if (event.event !== 'tick') return;
          const { n } = JSON.parse(event.data) as { n: number };
          if (lastN !== undefined && n !== lastN + 1) {
            fail(n <= lastN ? `repeat: ${n} after ${lastN}` : `gap: ${n} after ${lastN}`);
          }
          lastN = n;
          tally.deliveries += 1;
        },
      });
      res.on('data', (chunk: string) => parser.feed(chunk));
      if (plan.pause !== undefined) {
        const { atMs, forMs } = plan.pause;
        setTimeout(() => {
          tally.slowPauses += 1;
          res.pause();
          setTimeout(() => res.resume(), forMs);
        }, atMs).unref();
        plan = { ...plan, pause: undefined }; // once per session
      }
    });
    current = req;
    const reconnect = () => {
      if (leaving || current !== req) return;
      current = undefined;
      if (cutPending) {
        cutPending = false;
        tally.cuts += 1;
      }
      tally.resumes += 1;
      setTimeout(connect, 20);
    };
    req.on('close', reconnect);
    req.on('error', reconnect);
    req.end();
  }

  connect();
  if (plan.cutAtMs !== undefined) {
    setTimeout(() => {
      if (leaving || current === undefined) return;
      cutPending = true;
      current.destroy();
    }, plan.cutAtMs).unref();
  }
  return new Promise((resolve) => {
    const leave = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', leave);
      leaving = true;
      current?.destroy();
      resolve();
    };
    const timer = setTimeout(leave, plan.lifetimeMs);
    stop.addEventListener('abort', leave, { once: true });
  });
}
