// The drain benchmark's "next instance" (B), in a process of its own: accepts the streams of the
// clients that instance A's drain sends over, and records when each arrived, in milliseconds from
// `start` (sent as A's drain begins).
import { createServer } from 'node:http';
import type { NextCommand, NextReply } from './drain-messages';

const reply = (message: NextReply) => process.send?.(message);
const arrivals: number[] = [];
let started = 0;
const server = createServer((_req, res) => {
  arrivals.push(performance.now() - started);
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(': ok\n\n');
});
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () =>
  reply({ type: 'listening', port: (server.address() as { port: number }).port }),
);
process.on('message', (command: NextCommand) => {
  if (command.type === 'start') started = performance.now();
  else {
    reply({ type: 'arrivals', arrivals });
    server.closeAllConnections();
    server.close();
  }
});
