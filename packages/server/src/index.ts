export { type EventPosition, formatEventId, MAX_EVENT_ID_LENGTH, parseEventId } from '@app/sse-protocol';
export type { NodeHandler, NodeRequest, NodeRequestHeaders, NodeResponse } from './adapters/node-http';
export type {
  Http2ServerStream,
  Http2StreamHandler,
  Http2StreamRequest,
} from './adapters/node-http2-stream';
export type {
  ConnectionIdentity,
  ConnectionInfo,
  DisconnectInfo,
  DisconnectReason,
} from './connection-info';
export { type ChannelSender, createEmitter, type Emitter } from './emitter';
export {
  httpError,
  isSseServerError,
  SseServerError,
  type SseServerErrorCode,
  type SseServerErrorDetails,
} from './errors';
export type { EmitterHealth } from './health';
export { lastEventIdFrom } from './last-event-id';
export {
  createMemoryStore,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_EVENTS,
  type MemoryStoreOptions,
} from './memory-store';
export { METRICS, type MetricDefinition } from './metric-definitions';
export type { EmitterMetrics, HistogramSnapshot } from './metrics';
export {
  type AuthorizeResult,
  type CloseOptions,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_RETRY_MS,
  type EmitterOptions,
  type HandlerOptions,
} from './options';
export { PROMETHEUS_CONTENT_TYPE, prometheusName, toPrometheusText } from './prometheus';
export type { PublishResult } from './publish';
export type {
  AppendRequest,
  EventTargets,
  LiveFeedListener,
  ReplayRead,
  ReplayStore,
  StoredEvent,
} from './replay-store';
export type { EmitterStats } from './stats';
export {
  type Adapter,
  CHANNEL_COUNT_BUCKETS,
  type ChannelCountBucket,
  type RefusalReason,
  type StoreOperation,
} from './telemetry';
