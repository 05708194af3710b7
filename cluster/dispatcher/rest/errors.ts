// Flink's error body: every failed request answers `{"errors": [...]}` with a status code that says
// whose fault it was (4xx: the request's, 5xx: the cluster's), never an HTML page or a stack trace.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { WeirError } from '../../../messages/errors.ts';

/** A request the REST API answers with `status` and these messages (each naming the offending value). */
export class RestError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly errors: readonly string[],
  ) {
    super(errors.join('; '));
    this.name = 'RestError';
  }
}

export const badRequest = (message: string): RestError => new RestError(400, [message]);
export const notFound = (message: string): RestError => new RestError(404, [message]);

/** The JSON error body with its status. */
export function errorResponse(c: Context, status: ContentfulStatusCode, errors: readonly string[], headers?: Record<string, string>): Response {
  return c.json({ errors }, status, headers);
}

/**
 * What an exception thrown by a handler becomes: a RestError as it says; a stopped system 503;
 * anything else 500 with its message (logged by the caller). The gateway makes a timeout a 504.
 */
export function toRestError(error: unknown): RestError {
  if (error instanceof RestError) return error;
  if (error instanceof WeirError && (error.code === 'SYSTEM_TERMINATED' || error.code === 'ACTOR_STOPPED')) return new RestError(503, [error.message]);
  return new RestError(500, [`internal error: ${error instanceof Error ? error.message : String(error)}`]);
}
