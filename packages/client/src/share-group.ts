import type { Resolvable } from './runtime-types';

/**
 * The `share` option of `createClient`: `true` shares the stream with every tab of the origin
 * that opens the same request; `{ key }` shares it only with the tabs that give the same key too
 * (name whose stream it is, such as the signed-in user's ID).
 *
 * @example
 * ```ts
 * createClient({ url: '/events', events, share: true });
 * createClient({ url: '/events', events, headers: () => auth(), share: { key: `user:${userId}` } });
 * ```
 */
export type ShareOption = boolean | { readonly key: string };

/**
 * Checks the `share` option. A part of the request given as a function cannot be compared
 * between tabs, so `true` with one is refused: the key must say whose stream it is.
 *
 * @param options - the client's `share` option and the parts of the request that tell whose stream it is
 * @param fail - throws the `invalid-option` error with a message
 * @returns `undefined` when not sharing, else the key (`null` for `true`)
 */
export function resolveShare(
  options: {
    share?: ShareOption | undefined;
    url: unknown;
    headers?: Resolvable<HeadersInit> | undefined;
    body?: Resolvable<BodyInit> | undefined;
  },
  fail: (message: string) => never,
): { key: string | null } | undefined {
  const { share, url, headers, body } = options;
  if (share === undefined || share === false) return undefined;
  if (share !== true) {
    if (typeof share !== 'object' || share === null || typeof share.key !== 'string' || share.key === '') {
      fail('the share option must be true, false or { key } with a non-empty string key');
    }
    return { key: share.key };
  }
  const computed = [
    typeof url === 'function' && 'url',
    typeof headers === 'function' && 'headers',
    body !== undefined && typeof body !== 'string' && !(body instanceof URLSearchParams) && 'body',
  ].filter(Boolean);
  if (computed.length > 0) {
    fail(
      `share: true cannot tell whose stream it is from a computed ${computed.join(' or ')}: give share: { key } naming it (such as the signed-in user's ID)`,
    );
  }
  return { key: null };
}

/**
 * Whether this runtime can share a stream between clients: it needs `BroadcastChannel`, and to
 * elect the tab that holds the stream either the Web Locks API or a page (a window, where the
 * fallback election by heartbeats runs). Node before the Web Locks API, and old workers, keep a
 * stream per client.
 */
export function canShare(): boolean {
  const scope = globalThis as {
    BroadcastChannel?: unknown;
    navigator?: { locks?: unknown };
    document?: unknown;
  };
  if (typeof scope.BroadcastChannel !== 'function') return false;
  return typeof scope.navigator?.locks === 'object' || typeof scope.document === 'object';
}
