export { type BackoffConfig, type BackoffJitter, backoffDelay, retryAfterDelay } from './backoff';
export { createClient } from './client';
export type {
  ClientEvent,
  ClientMetrics,
  ClientSnapshot,
  ClientState,
  EventHandler,
  EventMeta,
  PauseReason,
  ResetInfo,
  SseClient,
  StreamOptions,
} from './client-api';
export {
  isSseClientError,
  SseClientError,
  type SseClientErrorCode,
  type SseClientErrorDetails,
} from './errors';
export { DEFAULT_BACKOFF, DEFAULT_MAX_EVENT_ID_LENGTH, DEFAULT_WATCHDOG } from './option-defaults';
export type { ClientOptions } from './options';
export { RECENT_IDS_CAPACITY } from './recent-ids';
export { HEALTHY_AFTER_MS, MIN_SERVER_RETRY_MS } from './reconnect-loop';
export type { EventSourceConstructor, EventSourceLike, FetchLike, Resolvable } from './runtime-types';
export type { ShareOption } from './share-group';
