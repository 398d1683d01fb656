/** What the drain benchmark sends its client process. */
export type ClientsCommand = { type: 'open'; portA: number; portB: number; count: number; retryMs: number };

/** What the client process answers. */
export type ClientsReply = { type: 'opened' } | { type: 'reconnected' } | { type: 'failed'; message: string };

/** What the drain benchmark sends the next instance's process. */
export type NextCommand = { type: 'start' } | { type: 'report' };

/** What the next instance answers. */
export type NextReply =
  | { type: 'listening'; port: number }
  | { type: 'arrivals'; arrivals: number[] }
  | { type: 'failed'; message: string };
