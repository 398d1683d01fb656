export { createTestEpoch } from './event-ids';
export {
  type MockConnection,
  type MockEventStream,
  type MockEventStreamOptions,
  mockEventStream,
} from './mock-event-stream';
