export { createTestEpoch } from './event-ids';
export { mockEventStream } from './mock-event-stream';
export type { MockConnection, MockEventStream, MockEventStreamOptions } from './mock-event-stream-api';
