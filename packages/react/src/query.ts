export {
  createSseQueryHooks,
  type SseQueryHooks,
  type SseQueryUpdateOptions,
} from './create-sse-query-hooks';
