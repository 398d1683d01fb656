// Who opens a stream: the endpoint's `authorize` answer, checked.
import type { ConnectionIdentity } from './connection-info';
import { SseServerError } from './errors';
import type { AuthorizeResult, HandlerOptions } from './options';

/**
 * Runs `authorize` and checks its answer.
 *
 * @throws {@link SseServerError} `http-error` 401 for `false`, `invalid-authorization` for an
 * answer that is not `{ userId }` or a boolean; and whatever `authorize` throws
 */
export async function resolveIdentity<Req>(
  req: Req,
  clientId: string,
  authorize: HandlerOptions<Req>['authorize'],
): Promise<ConnectionIdentity> {
  const verdict: AuthorizeResult = authorize === undefined ? true : await authorize(req);
  if (verdict === true) return { clientId, userId: undefined };
  if (verdict === false) throw new SseServerError('http-error', 'Unauthorized', { status: 401 });
  const userId =
    typeof verdict === 'object' && verdict !== null ? (verdict as { userId?: unknown }).userId : undefined;
  if (typeof userId !== 'string' || userId === '') {
    throw new SseServerError(
      'invalid-authorization',
      `authorize() must return { userId: non-empty string }, true or false; got ${JSON.stringify(verdict)}`,
    );
  }
  return { clientId, userId };
}
