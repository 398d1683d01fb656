import { formatPath } from '@app/sse-protocol';
import { isSseServerError } from '@app/sse-server';
import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { ApiError, ApiErrorCode } from '../api-contract';

/**
 * Answers a request with a 4xx and the API's error body.
 *
 * @param res - the response
 * @param status - the HTTP status
 * @param code - why, see {@link ApiErrorCode}
 * @param message - one line that says what was wrong and what is expected
 * @param paths - the failing paths of the body, for `invalid-request`
 */
export function sendApiError(
  res: Response,
  status: number,
  code: ApiErrorCode,
  message: string,
  paths?: readonly string[],
): void {
  const body: ApiError = { error: { code, message, ...(paths ? { paths: [...paths] } : {}) } };
  res.status(status).json(body);
}

/**
 * Answers 400 for a request body the catalog's schema refused, naming each failing field
 * (`body.severity: Invalid option: expected one of "info"|"warning"|"error"`).
 *
 * @param res - the response
 * @param what - what the request was for, like `notification`
 * @param error - the zod error
 */
export function sendValidationError(res: Response, what: string, error: z.ZodError): void {
  const paths = error.issues.map((issue) => formatPath(issue.path).replace(/^data/, 'body'));
  const details = error.issues.map((issue, index) => `${paths[index]}: ${issue.message}`).join('; ');
  sendApiError(res, 400, 'invalid-request', `invalid ${what} request: ${details}`, paths);
}

/** The errors `express.json()` raises, told apart by their `type`. */
interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * The API's last error handler: a body that is not JSON gets 400, one past the size limit 413, a
 * publish refused because the emitter is closing 503, anything else 500 with nothing internal
 * revealed (and logged).
 *
 * @param log - where unexpected errors go
 */
export function apiErrorHandler(log: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const parserError = (typeof error === 'object' && error !== null ? error : {}) as BodyParserError;
    if (parserError.type === 'entity.parse.failed') {
      return sendApiError(res, 400, 'invalid-json', 'the request body is not valid JSON');
    }
    // An unsupported charset (`Content-Type: application/json; charset=latin9`) or
    // `Content-Encoding` (anything but identity, gzip, deflate and br): the client's mistake.
    if (parserError.type === 'charset.unsupported' || parserError.type === 'encoding.unsupported') {
      return sendApiError(
        res,
        415,
        'unsupported-media-type',
        'send the body as UTF-8 JSON, with no Content-Encoding or gzip, deflate or br',
      );
    }
    if (parserError.type === 'entity.too.large') {
      return sendApiError(
        res,
        413,
        'payload-too-large',
        `the request body is larger than ${parserError.limit} bytes`,
      );
    }
    // Any other body the parser refused as the client's fault (truncated, or not decodable).
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      return sendApiError(res, 400, 'invalid-request', 'the request body could not be read');
    }
    if (isSseServerError(error) && error.code === 'closed') {
      res.set('Retry-After', '1');
      return sendApiError(res, 503, 'unavailable', 'the server is shutting down; try again in a moment');
    }
    log(error);
    sendApiError(res, 500, 'internal', 'the server failed to handle the request');
  };
}
