import { type EventCatalog, type HelloData, isProtocolError } from '@app/sse-protocol';
import {
  type CatalogContract,
  catalogFingerprint,
  checkCompatibility,
  readContract,
} from '@app/sse-protocol/contract';
import { SseServerError } from './errors';

/** What `sse:hello` tells every connection besides its own ID, computed once per emitter. */
export type Greeting = Omit<HelloData, 'clientId'>;

/**
 * The hello's shared part: the catalog fingerprint, the heartbeat interval, and for each older
 * catalog in `compatibleWith` whether its clients can read this catalog's events (`forward`: new
 * server, old client). A client built with one of the `compatible` catalogs is not told
 * `catalog-mismatch`; one built with a `breaking` catalog is, with the first breaking change.
 *
 * @param catalog - the emitter's catalog
 * @param heartbeatMs - the heartbeat interval
 * @param compatibleWith - contracts of the catalogs clients in the field were built with
 * @throws {@link SseServerError} `invalid-option` when an entry is not a contract
 */
export function createGreeting(
  catalog: EventCatalog,
  heartbeatMs: number,
  compatibleWith: readonly CatalogContract[] = [],
): Greeting {
  const compatible: string[] = [];
  const breaking: { fingerprint: string; finding: string }[] = [];
  if (!Array.isArray(compatibleWith)) {
    throw new SseServerError('invalid-option', 'compatibleWith must be an array of catalog contracts');
  }
  for (const [index, entry] of compatibleWith.entries()) {
    let contract: CatalogContract;
    try {
      contract = readContract(entry);
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      throw new SseServerError('invalid-option', `compatibleWith[${index}] is ${error.reason}`, {
        cause: error,
      });
    }
    if (contract.fingerprint === catalogFingerprint(catalog)) continue;
    const result = checkCompatibility(contract, catalog, { mode: 'forward' });
    if (result.compatible) compatible.push(contract.fingerprint);
    else {
      const first = result.findings.find((finding) => finding.breaks.includes('forward'));
      breaking.push({
        fingerprint: contract.fingerprint,
        finding: first === undefined ? 'a breaking change' : `${first.event} ${first.message}`,
      });
    }
  }
  return {
    fingerprint: catalogFingerprint(catalog),
    heartbeatMs,
    // Absent unless used: the hello of an emitter without `compatibleWith` stays as it was.
    ...(compatible.length > 0 ? { compatible } : {}),
    ...(breaking.length > 0 ? { breaking } : {}),
  };
}
