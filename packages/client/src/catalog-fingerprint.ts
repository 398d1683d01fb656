// The chunk ownFingerprint loads on demand. A static import here, rather than a dynamic import of
// the protocol's `contract` entry point, lets bundlers keep only the fingerprint code of that
// entry point (an imported namespace keeps every export: compatibility checks, AsyncAPI...).
export { catalogFingerprint } from '@app/sse-protocol/contract';
