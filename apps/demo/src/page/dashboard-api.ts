import {
  type ApiErrorCode,
  apiErrorSchema,
  type NotifyRequest,
  type NotifyResponse,
  type OutageResponse,
  ROUTES,
  type StartJobRequest,
  type StartJobResponse,
  USER_QUERY,
} from '../api-contract';
import { type DashboardSnapshot, snapshotSchema } from '../snapshot';

/** Why a dashboard API request failed: the server's own code, or why there was no answer to read. */
export type DashboardApiErrorCode = ApiErrorCode | 'unreachable' | 'unexpected-response';

/**
 * A request the demo server refused or could not answer. `message` is the server's own words,
 * written for the person at the dashboard, so the page shows it as is.
 */
export class DashboardApiError extends Error {
  /** Why it failed. */
  readonly code: DashboardApiErrorCode;
  /** The HTTP status, or 0 when the server could not be reached. */
  readonly status: number;

  /**
   * @param code - why it failed
   * @param status - the HTTP status, 0 for a network failure
   * @param message - what went wrong
   */
  constructor(code: DashboardApiErrorCode, status: number, message: string) {
    super(message);
    this.name = 'DashboardApiError';
    this.code = code;
    this.status = status;
  }
}

async function request(path: string, init?: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch {
    throw new DashboardApiError(
      'unreachable',
      0,
      'The server cannot be reached right now. Try again in a moment.',
    );
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body;
  const parsed = apiErrorSchema.safeParse(body);
  if (parsed.success)
    throw new DashboardApiError(parsed.data.error.code, response.status, parsed.data.error.message);
  throw new DashboardApiError(
    'unexpected-response',
    response.status,
    `The server answered ${response.status}.`,
  );
}

function post(path: string, body: unknown): Promise<unknown> {
  return request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * Fetches what `userId`'s dashboard shows, validated against the snapshot schema.
 *
 * @param userId - the viewer
 * @throws {@link DashboardApiError} when the server refuses or cannot be reached
 */
export async function fetchSnapshot(userId: string): Promise<DashboardSnapshot> {
  const body = await request(`${ROUTES.state}?${USER_QUERY}=${encodeURIComponent(userId)}`);
  return snapshotSchema.parse(body);
}

/**
 * Publishes a notification, to everyone or to `body.to`.
 *
 * @param body - the notification
 * @throws {@link DashboardApiError} with the server's message on a 400
 */
export async function sendNotification(body: NotifyRequest): Promise<NotifyResponse> {
  return (await post(ROUTES.notifications, body)) as NotifyResponse;
}

/**
 * Starts a job.
 *
 * @param body - its label, who starts it and how many steps it takes
 * @throws {@link DashboardApiError} with the server's message on a 400
 */
export async function startJob(body: StartJobRequest): Promise<StartJobResponse> {
  return (await post(ROUTES.jobs, body)) as StartJobResponse;
}

/**
 * Asks the server (in a scale-out demo, the named instance) to go off the network for `seconds`
 * and come back with its replay buffer intact.
 *
 * @param seconds - 1 to 30
 * @param instance - the instance to take down, in a scale-out demo
 * @throws {@link DashboardApiError} when the server refuses
 */
export async function simulateOutage(seconds: number, instance?: string): Promise<OutageResponse> {
  return (await post(
    ROUTES.outage,
    instance === undefined ? { seconds } : { seconds, instance },
  )) as OutageResponse;
}
