export { createSseHooks, type SseHooks, type SseHooksOptions } from './create-sse-hooks';
export type { LatestEvent } from './latest-store';
export { SERVER_SNAPSHOT } from './server-snapshot';
export type { UseSseEvent } from './use-sse-event';
export type { UseSseLatest } from './use-sse-latest';
export type {
  SseReducerEvent,
  SseReducerOptions,
  SseReducerResult,
  UseSseReducer,
} from './use-sse-reducer';
export type { SseStatus, UseSseStatus } from './use-sse-status';
