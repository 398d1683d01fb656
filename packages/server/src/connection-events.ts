import type { Connection } from './connection';
import { detach } from './connection-end';
import { reportDisconnect } from './connection-hooks';
import { drained } from './delivery';
import type { EmitterCore } from './emitter-core';
import type { TransportEvents } from './transport';

/**
 * What a transport reports for one connection. A class rather than two closures per connection:
 * thousands are alive at once, and prototype methods cost nothing per instance.
 */
export class ConnectionEvents implements TransportEvents {
  private readonly core: EmitterCore;
  private readonly connection: Connection;

  /**
   * @param connection - the connection the transport serves
   */
  constructor(core: EmitterCore, connection: Connection) {
    this.core = core;
    this.connection = connection;
  }

  drain(): void {
    drained(this.core, this.connection);
  }

  close(): void {
    // Only a stream still open gets here with news: one the emitter ended or dropped is detached already.
    if (detach(this.core, this.connection)) reportDisconnect(this.core, this.connection, 'client-gone');
  }
}
