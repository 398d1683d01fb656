import type { EventCatalog } from '@app/sse-protocol';
import type { ResolvedOptions } from './options';

/** The prefix of every share group's lock and channel names. */
const GROUP_PREFIX = '@app/sse-client/share:';

function absolute(url: string | URL, baseUrl: string | undefined): string {
  try {
    return new URL(url, baseUrl ?? (globalThis as { location?: { href?: string } }).location?.href).href;
  } catch {
    return String(url);
  }
}

/**
 * Names a client's share group: tabs share a stream exactly when their group names are equal.
 * The name holds the share key and every static part of the request that tells whose stream it
 * is (the absolute URL, method, headers, body, credentials, transport), so two tabs that would
 * open different streams never share one. Parts given as functions are left out: the key names
 * them (the `share` option refuses `true` with them).
 *
 * @param options - the resolved options of a client that shares
 * @param key - the `share` option's key, `null` for `share: true`
 */
export function shareGroupName<C extends EventCatalog>(
  options: ResolvedOptions<C>,
  key: string | null,
): string {
  const { url, headers, body } = options;
  return (
    GROUP_PREFIX +
    JSON.stringify([
      key,
      typeof url === 'function' ? null : absolute(url, options.baseUrl),
      options.method,
      headers === undefined || typeof headers === 'function' ? null : [...new Headers(headers)],
      typeof body === 'string' || body instanceof URLSearchParams ? String(body) : null,
      options.credentials ?? null,
      options.transport,
    ])
  );
}
