import {
  type EventCatalog,
  formatPath,
  HELLO_EVENT,
  type HelloData,
  helloSchema,
  RESERVED_PREFIX,
  RESET_EVENT,
  resetSchema,
} from '@app/sse-protocol';
import type { ZodMiniType } from 'zod/mini';
import type { EventMeta, ResetInfo } from './client-api';
import { SseClientError } from './errors';
import { DEFAULT_MAX_EVENT_ID_LENGTH } from './option-defaults';
import { ownFingerprint } from './own-fingerprint';
import { createRecentIds, RECENT_IDS_CAPACITY } from './recent-ids';

/** One event ready for routing. */
export interface RoutedEvent {
  /** The event name. */
  event: string;
  /** The raw data. */
  data: string;
  /** The event's ID (the stream's last event ID). */
  id: string;
  /**
   * Whether this connection set the ID for this event, rather than the event inheriting the ID
   * of the event before it. Only such events are checked for duplicates: per the spec every
   * event without an `id:` field repeats the previous ID, and those are distinct events.
   */
  ownId: boolean;
}

/** What the dispatcher calls. */
export interface DispatchTargets {
  /** Reports an event error; the connection stays up. */
  report(error: SseClientError): void;
  /** A valid `sse:reset` arrived. */
  reset(info: ResetInfo): void;
  /** A valid catalog event to hand to its handlers. */
  deliver(name: string, data: unknown, meta: EventMeta): void;
  /** An event of a type the catalog does not define was dropped. */
  skipped(): void;
  /** An event already delivered (by ID) came again and was dropped. */
  duplicate(): void;
}

function parseJson(
  event: string,
  text: string,
  report: DispatchTargets['report'],
): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch (cause) {
    report(
      new SseClientError(
        'invalid-json',
        `the data of event ${JSON.stringify(event)} is not JSON; it was dropped`,
        { cause, event },
      ),
    );
    return undefined;
  }
}

function parseProtocol<T>(
  event: RoutedEvent,
  schema: ZodMiniType<T>,
  report: DispatchTargets['report'],
): T | undefined {
  const json = parseJson(event.event, event.data, report);
  if (json === undefined) return undefined;
  const result = schema.safeParse(json.value);
  if (result.success) return result.data;
  const paths = result.error.issues.map((issue) => formatPath(issue.path));
  report(
    new SseClientError(
      'validation-failed',
      `invalid ${JSON.stringify(event.event)} from the server at ${paths.join(', ')}; it was ignored`,
      { cause: result.error, event: event.event, paths },
    ),
  );
  return undefined;
}

/** How many unknown-event reports wait for the catalog check at most; later ones go out at once. */
const MAX_HELD_REPORTS = 100;

/**
 * Routes one event: to the protocol, to the handlers, or to `onError` with the reason it was
 * dropped. Returns the server's `sse:hello` when the event was a valid one, for the reconnect loop
 * to apply (the client ID, the watchdog): data flows one way, from the loop into the dispatcher.
 */
export type Dispatch = (event: RoutedEvent) => HelloData | undefined;

/**
 * Creates the router of incoming events. Protocol events (`sse:` prefix) are consumed here and
 * never reach handlers: `sse:hello` (checked against the client's catalog fingerprint once its
 * code has loaded, see ownFingerprint; a mismatch reported once per server fingerprint),
 * `sse:reset`; other `sse:` names, from a newer server, are ignored. Catalog events are checked
 * for duplicates, parsed as JSON, validated and delivered.
 *
 * @param events - the catalog
 * @param validate - whether to validate payloads against the catalog
 * @param targets - where results go
 * @param resumeFrom - the ID the client starts from (the `lastEventId` option): it says the
 * client has that event, so a server that replays it is not delivered it again
 * @param maxIdLength - the longest ID remembered to drop duplicates (the `maxEventIdLength` option)
 */
export function createDispatcher(
  events: EventCatalog,
  validate: boolean,
  targets: DispatchTargets,
  resumeFrom = '',
  maxIdLength = DEFAULT_MAX_EVENT_ID_LENGTH,
): Dispatch {
  const { report } = targets;
  const delivered = createRecentIds(RECENT_IDS_CAPACITY, maxIdLength);
  if (resumeFrom !== '') delivered.add(resumeFrom);
  let reportedFingerprint: string | undefined;
  let serverCompatible = false;
  // The catalog check completes once the client's own fingerprint is known (its code loads on
  // demand, see ownFingerprint). Until then, reports of unknown events wait here: they are dropped
  // if the server turns out to run a compatible newer catalog, and reported if not.
  let heldReports: SseClientError[] | undefined;
  let checks = 0;

  function checkCatalog(hello: HelloData, own: string | undefined): void {
    const held = heldReports ?? [];
    heldReports = undefined;
    if (own === undefined || hello.fingerprint === own) serverCompatible = false;
    else if (hello.compatible?.includes(own)) {
      // A newer catalog that this one can read (the server checked): events this catalog does
      // not know are skipped quietly.
      serverCompatible = true;
    } else {
      serverCompatible = false;
      if (hello.fingerprint !== reportedFingerprint) {
        reportedFingerprint = hello.fingerprint;
        const breaking = hello.breaking?.find((entry) => entry.fingerprint === own);
        report(
          new SseClientError(
            'catalog-mismatch',
            breaking === undefined
              ? `the server's event catalog (${hello.fingerprint}) differs from the client's (${own}); events that still validate keep flowing`
              : `the server's event catalog (${hello.fingerprint}) breaks the client's (${own}): ${breaking.finding}; events that still validate keep flowing`,
            { event: HELLO_EVENT },
          ),
        );
      }
    }
    if (!serverCompatible) for (const error of held) report(error);
  }

  function protocolEvent(event: RoutedEvent): HelloData | undefined {
    if (event.event === HELLO_EVENT) {
      const hello = parseProtocol(event, helloSchema, report);
      if (hello === undefined) return undefined;
      // Only the latest hello's check applies (a reconnection may reach another server). When the
      // chunk cannot load, nothing is compared and unknown events are reported as usual.
      const check = ++checks;
      heldReports ??= [];
      serverCompatible = false; // until this server's check says otherwise
      ownFingerprint(events).then(
        (own) => check === checks && checkCatalog(hello, own),
        () => check === checks && checkCatalog(hello, undefined),
      );
      return hello;
    }
    if (event.event === RESET_EVENT) {
      const info = parseProtocol(event, resetSchema, report);
      if (info !== undefined) targets.reset(info);
    }
    return undefined;
  }

  return (event) => {
    const name = event.event;
    if (name.startsWith(RESERVED_PREFIX)) return protocolEvent(event);
    const identified = event.ownId && event.id !== '';
    if (identified && delivered.has(event.id)) {
      targets.duplicate();
      return;
    }
    if (!events.has(name)) {
      targets.skipped();
      if (serverCompatible) return;
      const error = new SseClientError(
        'unknown-event',
        `received event ${JSON.stringify(name)}, which the catalog does not define; it was dropped`,
        { event: name },
      );
      if (heldReports !== undefined && heldReports.length < MAX_HELD_REPORTS) heldReports.push(error);
      else report(error);
      return;
    }
    const json = parseJson(name, event.data, report);
    if (json === undefined) return;
    let data = json.value;
    if (validate) {
      const result = events.safeParse(name, json.value);
      if (!result.success) {
        report(
          new SseClientError('validation-failed', `${result.error.reason}; the event was dropped`, {
            cause: result.error,
            event: name,
            paths: result.error.paths,
          }),
        );
        return;
      }
      data = result.data;
    }
    if (identified) delivered.add(event.id);
    targets.deliver(name, data, { id: event.id, event: name });
  };
}
