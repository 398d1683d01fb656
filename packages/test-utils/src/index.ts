export { type CuttingProxy, startCuttingProxy } from './cutting-proxy';
export { listen, type TestServer } from './listen';
export { openRaw, type RawOptions, type RawStream } from './raw-stream';
export { seededRandom } from './seeded-random';
export { settle, settleUntil } from './settle';
export { type StallingProxy, startStallingProxy } from './stalling-proxy';
export { type WaitForOptions, waitFor } from './wait-for';
