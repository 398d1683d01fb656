export { createTestEpoch } from './event-ids';
export { mockEventStream } from './mock-event-stream';
export type {
  MockConnection,
  MockEventStream,
  MockEventStreamOptions,
  SendArgs,
} from './mock-event-stream-api';
