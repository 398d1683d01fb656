// The `@app/sse-protocol/contract` entry point: a catalog as a contract. Its fingerprint (announced
// by servers, compared by clients), its JSON Schema and AsyncAPI documents, its committed JSON form
// and the compatibility of two versions. Kept apart from the runtime entry point (index.ts), which
// browsers bundle: this code, and zod's JSON Schema generator it uses, weighs more than the parser.
export { type AsyncApiDocument, type AsyncApiOptions, toAsyncAPI } from './asyncapi';
export {
  type CompatibilityDirection,
  type CompatibilityFinding,
  type CompatibilityMode,
  type CompatibilityOptions,
  type CompatibilityResult,
  checkCompatibility,
  type FindingKind,
} from './compatibility';
export {
  type CatalogContract,
  CONTRACT_FORMAT,
  type EventContract,
  readContract,
  toContract,
} from './contract';
export { canonicalJson, catalogFingerprint, schemasFingerprint } from './fingerprint';
export { type JsonSchema, toJSONSchema } from './json-schema';
