// What every request passes before a route sees it: a path without dot segments or encoded
// separators (Flink's REST API had traversal holes: CVE-2020-17518/17519; Weir reads no files, and
// refuses such paths all the same), ids of a sane shape, and bounded bodies.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { JobIdSchema } from '../../../messages/ids.ts';
import type { JobId } from '../../../messages/ids.ts';
import { badRequest, errorResponse } from './errors.ts';

/** The largest request body accepted; Weir's REST API takes no body larger than a few bytes. */
export const MAX_BODY_BYTES = 64 * 1024;
/** The longest vertex or TaskManager id looked up (job ids are checked by JobIdSchema). */
export const MAX_ID_LENGTH = 256;
/** How much of an offending path an error repeats. */
const MAX_ECHOED = 200;

const echo = (text: string): string => (text.length > MAX_ECHOED ? `${text.slice(0, MAX_ECHOED)}...` : text);

/** Why a raw request path is refused, or undefined: a '.' or '..' segment, or one that decodes to a separator or NUL. */
export function pathProblem(rawPath: string): string | undefined {
  for (const segment of rawPath.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return `malformed percent-encoding in "${echo(segment)}"`;
    }
    if (decoded === '.' || decoded === '..') return 'dot segments are not allowed';
    if (/[/\\\0]/.test(decoded)) return `"${echo(segment)}" encodes a path separator or NUL`;
  }
  return undefined;
}

/**
 * Refuses a traversal attempt with 400. Checks the path as the client sent it: node-server resolves
 * dot segments before the router sees the URL, so `/jobs/../config` would otherwise reach /config.
 */
export function rejectTraversal(): MiddlewareHandler {
  return async (c, next) => {
    const raw = rawPathOf(c);
    const problem = pathProblem(raw);
    if (problem) return errorResponse(c, 400, [`invalid path ${echo(raw)}: ${problem}`]);
    await next();
  };
}

function rawPathOf(c: Context): string {
  const incoming = (c.env as { incoming?: { url?: string } } | undefined)?.incoming;
  const url = incoming?.url ?? new URL(c.req.url).pathname;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** 413 for a body over MAX_BODY_BYTES (declared or streamed). */
export function limitBodies(): MiddlewareHandler {
  return bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => errorResponse(c, 413, [`the request body is over ${MAX_BODY_BYTES} bytes`]) });
}

/** Answers are JSON that browsers must not sniff as something else. */
export function noSniff(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  };
}

/** The `:jobId` of the path, checked: 400 naming it when it cannot be a job id. */
export function jobIdParam(c: Context): JobId {
  const value = c.req.param('jobId') ?? '';
  if (!JobIdSchema.test(value)) throw badRequest(`invalid job id "${echo(value)}": expected ${JobIdSchema.expected}`);
  return value as JobId;
}

/** An id looked up by string (a vertex, a TaskManager): 400 when it is empty or too long. */
export function idParam(c: Context, name: string, what: string): string {
  const value = c.req.param(name) ?? '';
  if (value.length === 0 || value.length > MAX_ID_LENGTH) throw badRequest(`invalid ${what} "${echo(value)}": expected 1 to ${MAX_ID_LENGTH} characters`);
  return value;
}
