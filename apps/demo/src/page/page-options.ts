import { USER_QUERY } from '../api-contract';
import { DEMO_USERS, type DemoUser, findUser } from '../users';

/** How the page reads its event stream. */
export type Transport = 'fetch' | 'eventsource';

/** What the page's URL asks for. */
export interface PageOptions {
  /** Who this tab is signed in as (`?user=grace`); the first demo user by default. */
  user: DemoUser;
  /** `?transport=eventsource` uses the browser's native `EventSource`; `fetch` by default. */
  transport: Transport;
  /**
   * Whether the tabs of one user share one stream (the client's `share` option); `?share=off`
   * gives this tab a stream of its own.
   */
  share: boolean;
}

/**
 * Reads the page options from the URL's query string; unknown values fall back to the defaults.
 *
 * @param search - `location.search`
 * @example
 * ```ts
 * readPageOptions('?user=grace&transport=eventsource'); // { user: Grace, transport: 'eventsource', share: true }
 * ```
 */
export function readPageOptions(search: string): PageOptions {
  const params = new URLSearchParams(search);
  return {
    user: findUser(params.get(USER_QUERY)) ?? DEMO_USERS[0],
    transport: params.get('transport') === 'eventsource' ? 'eventsource' : 'fetch',
    share: params.get('share') !== 'off',
  };
}

/**
 * The URL of this page for another user, keeping the other options.
 *
 * @param href - `location.href`
 * @param userId - the user to switch to
 */
export function urlForUser(href: string, userId: string): string {
  const url = new URL(href);
  url.searchParams.set(USER_QUERY, userId);
  return url.toString();
}
