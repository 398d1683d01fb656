import type { EventCatalog } from '@app/sse-protocol';

/**
 * The fingerprint of the client's own catalog, to compare with the one a server announces in
 * `sse:hello`. Computing it takes the JSON Schema of every event (zod's generator, ~7 KB gzip)
 * and SHA-256, code a browser app would otherwise download with the client whether or not a server
 * ever announces a catalog; so it comes from the protocol's `contract` entry point, in a chunk of
 * its own that the first `sse:hello` loads. The result is kept per catalog.
 *
 * @param events - the client's catalog
 * @returns the catalog's fingerprint; rejects when the chunk cannot load
 */
export function ownFingerprint(events: EventCatalog): Promise<string> {
  return import('./catalog-fingerprint').then((module) => module.catalogFingerprint(events));
}
