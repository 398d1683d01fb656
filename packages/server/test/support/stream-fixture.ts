import type { RequestListener } from 'node:http';
import { listen, openRaw, type RawOptions, type RawStream, type TestServer } from '@app/test-utils';
import { afterEach } from 'vitest';
import type { Emitter } from '../../src/index';
import type { TestEvents } from './catalog';
import type { RecordingEventSource } from './event-source';

/**
 * What one test opened, closed after it: the fields are set by the test, the lists filled by it.
 */
export interface StreamFixture {
  /** The emitter under test: closed after the test. */
  sse: Emitter<TestEvents> | undefined;
  /** The HTTP server: closed after the emitter, every connection dropped. */
  server: TestServer | undefined;
  /** Raw streams: destroyed after the test. */
  readonly raws: RawStream[];
  /** `EventSource`s: closed after the test. */
  readonly sources: RecordingEventSource[];
  /**
   * Makes `emitter` the one under test and serves `listener` on a new server.
   *
   * @param emitter - the emitter
   * @param listener - the request listener @defaultValue `emitter.handler()`
   * @returns the stream URL, `<origin>/events`
   */
  serve(emitter: Emitter<TestEvents>, listener?: RequestListener): Promise<string>;
  /** Opens a raw stream ({@link openRaw}) that is destroyed after the test. */
  open(url: string, options?: RawOptions): Promise<RawStream>;
  /** Runs `cleanup` after the test, before the emitter and the server close. */
  onCleanup(cleanup: () => unknown): void;
  /**
   * Closes and forgets everything now (the `afterEach` the fixture registered does it too); for a
   * suite that checks something once all is closed. A second call finds nothing to do.
   */
  cleanup(): Promise<void>;
}

/**
 * The integration suites' fixture: registers an `afterEach` that closes what a test opened
 * (streams and sources first, then the emitter, then the server), so no test leaks a socket or a
 * timer into the next.
 *
 * @example
 * ```ts
 * const fixture = useStreamFixture();
 * it('streams', async () => {
 *   const url = await fixture.serve(createEmitter({ events, heartbeatMs: 0 }));
 *   const raw = await fixture.open(url);
 * });
 * ```
 */
export function useStreamFixture(): StreamFixture {
  const cleanups: (() => unknown)[] = [];
  const fixture: StreamFixture = {
    sse: undefined,
    server: undefined,
    raws: [],
    sources: [],
    async serve(emitter, listener = emitter.handler()) {
      fixture.sse = emitter;
      fixture.server = await listen(listener);
      return `${fixture.server.origin}/events`;
    },
    async open(url, options) {
      const raw = await openRaw(url, options);
      fixture.raws.push(raw);
      return raw;
    },
    onCleanup(cleanup) {
      cleanups.push(cleanup);
    },
    async cleanup() {
      for (const source of fixture.sources.splice(0)) source.close();
      for (const raw of fixture.raws.splice(0)) raw.destroy();
      for (const cleanup of cleanups.splice(0)) await cleanup();
      const { sse, server } = fixture;
      fixture.sse = undefined;
      fixture.server = undefined;
      try {
        await sse?.close();
      } finally {
        await server?.close();
      }
    },
  };
  afterEach(() => fixture.cleanup());
  return fixture;
}
