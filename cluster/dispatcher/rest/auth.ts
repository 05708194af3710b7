// The REST API's and the console's authentication, with security.auth.secret set: a request carries
// the secret as a bearer token (`Authorization: Bearer <secret>`: the CLI, scripts, Prometheus-style
// scrapers), or a session cookie the login page set (the console in a browser). Without either, the
// API answers 401 and a browser asking for a page is sent to /login. Sessions live in memory (a
// restarted JobManager asks everyone to log in again), bounded in number and in time.
//
// The cookie is HttpOnly and SameSite=Strict (and Secure over TLS): a script on the page cannot read
// it, and another site's page cannot make the browser send it.
import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AuthSecret, Logger } from '../../../actors/index.ts';
import type { RestApp, RestEnv } from './context.ts';
import { errorResponse } from './errors.ts';
import { loginPage } from './login-page.ts';

export const SESSION_COOKIE = 'weir_session';
/** How long a console login lasts. */
export const SESSION_TTL_MS = 8 * 60 * 60_000;
/** Sessions held at once; past it the oldest is forgotten (its browser logs in again). */
export const MAX_SESSIONS = 1_000;

export interface RestAuthOptions {
  readonly secret: AuthSecret;
  readonly log: Logger;
  /** The API is served over TLS: the cookie is Secure. */
  readonly secure: boolean;
  readonly now?: () => number;
}

/** Paths reachable without a login: the login page itself. */
const OPEN_PATHS: ReadonlySet<string> = new Set(['/login']);

export class RestAuthentication {
  /** Session token -> when it expires (epoch ms); insertion order is age order. */
  private readonly sessions = new Map<string, number>();
  private readonly now: () => number;
  /** Failed logins and refused tokens: for metrics and specs. */
  failures = 0;

  constructor(private readonly options: RestAuthOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Before every route: a request without the secret or a live session goes no further. */
  middleware(): MiddlewareHandler<RestEnv> {
    return async (c, next) => {
      if (OPEN_PATHS.has(c.req.path)) return next();
      const header = c.req.header('authorization');
      if (header !== undefined) {
        const token = /^Bearer (.+)$/i.exec(header)?.[1];
        if (token !== undefined && this.options.secret.matchesText(token)) return next();
        return this.refuse(c, 'the bearer token is not the cluster\'s secret (security.auth.secret)');
      }
      if (this.hasSession(getCookie(c, SESSION_COOKIE))) return next();
      // A browser asking for a page gets the login page; anything else (the API, the trace stream) a 401.
      if (c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html')) return c.redirect('/login', 303);
      return errorResponse(c, 401, ['authentication required: send the cluster\'s secret as "Authorization: Bearer <secret>", or log in at /login'], {
        'WWW-Authenticate': 'Bearer realm="weir"',
      });
    };
  }

  /** GET /login shows the form; POST /login checks the secret and sets the session; POST /logout ends it. */
  routes(app: RestApp): void {
    app.get('/login', (c) => c.html(loginPage(undefined)));
    app.post('/login', async (c) => {
      const form = await c.req.parseBody();
      const secret = typeof form.secret === 'string' ? form.secret : '';
      if (!this.options.secret.matchesText(secret)) {
        this.failures++;
        this.options.log.warn(`refused a console login from ${remoteOf(c)}: wrong secret`, { code: 'AUTHENTICATION_FAILED', peer: remoteOf(c) });
        return c.html(loginPage('That is not the cluster\'s secret.'), 401);
      }
      setCookie(c, SESSION_COOKIE, this.newSession(), { httpOnly: true, sameSite: 'Strict', secure: this.options.secure, path: '/', maxAge: SESSION_TTL_MS / 1000 });
      return c.redirect('/', 303);
    });
    app.post('/logout', (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token !== undefined) this.sessions.delete(token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.redirect('/login', 303);
    });
  }

  private newSession(): string {
    const token = randomBytes(32).toString('base64url');
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    this.sessions.set(token, this.now() + SESSION_TTL_MS);
    return token;
  }

  private hasSession(token: string | undefined): boolean {
    if (token === undefined) return false;
    const expires = this.sessions.get(token);
    if (expires === undefined) return false;
    if (expires > this.now()) return true;
    this.sessions.delete(token);
    return false;
  }

  private refuse(c: Context<RestEnv>, why: string): Response {
    this.failures++;
    this.options.log.warn(`refused a REST request from ${remoteOf(c)}: ${why}`, { code: 'AUTHENTICATION_FAILED', peer: remoteOf(c) });
    return errorResponse(c, 401, [`authentication failed: ${why}`], { 'WWW-Authenticate': 'Bearer realm="weir", error="invalid_token"' });
  }
}

/**
 * Requests that change something (cancel, stop, savepoint, login) must come from the console's own
 * origin: a page on another site cannot make the browser cancel a job, with or without a session.
 * Browsers say where a request comes from in Sec-Fetch-Site and Origin; a client that sends neither
 * (curl, the CLI) is not a browser on another site.
 */
export function refuseCrossSite(): MiddlewareHandler<RestEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return errorResponse(c, 403, [`cross-site ${c.req.method} refused (Sec-Fetch-Site: ${site}): the REST API changes state only for requests from its own origin`]);
    }
    const origin = c.req.header('origin');
    const host = c.req.header('host');
    if (origin !== undefined && (host === undefined || hostOfOrigin(origin) !== host)) {
      return errorResponse(c, 403, [`cross-site ${c.req.method} refused (Origin: ${origin.slice(0, 200)}): the REST API changes state only for requests from its own origin`]);
    }
    return next();
  };
}

function hostOfOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function remoteOf(c: Context<RestEnv>): string {
  const socket = c.env.incoming.socket;
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
}
