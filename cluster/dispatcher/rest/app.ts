// The REST API as a Hono app: guards first (traversal, body size, cross-site writes), then
// authentication (with security.auth.secret: auth.ts) and the caller's middleware, then one route
// group per resource; every error is Flink's `{"errors": [...]}` with its status.
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import type { Logger } from '../../../actors/index.ts';
import type { RestApp, RestDependencies, RestEnv } from './context.ts';
import { errorResponse, toRestError } from './errors.ts';
import { limitBodies, noSniff, rejectTraversal } from './guards.ts';
import { type RestAuthentication, refuseCrossSite } from './auth.ts';
import { clusterRoutes } from './routes/cluster.ts';
import { consoleRoutes } from './routes/console.ts';
import { jobManagerRoutes } from './routes/jobmanager.ts';
import { jobRoutes } from './routes/jobs.ts';
import { taskManagerRoutes } from './routes/taskmanagers.ts';
import { traceRoutes } from './routes/trace.ts';
import { vertexRoutes } from './routes/vertices.ts';

export interface RestAppOptions extends RestDependencies {
  readonly log: Logger;
  /** Run before every route, after the guards. */
  readonly middleware?: readonly MiddlewareHandler<RestEnv>[];
  /** With security.auth.secret: a bearer token or a console session before any route but /login. */
  readonly authentication?: RestAuthentication;
}

export function restApp(options: RestAppOptions): RestApp {
  const app: RestApp = new Hono<RestEnv>();
  app.use(noSniff());
  app.use(rejectTraversal());
  app.use(limitBodies());
  app.use(refuseCrossSite());
  if (options.authentication) {
    app.use(options.authentication.middleware());
    options.authentication.routes(app);
  }
  for (const middleware of options.middleware ?? []) app.use(middleware);
  app.use(methodNotAllowed({ app, onMethodNotAllowed: (c, methods) => errorResponse(c, 405, [`Method ${c.req.method} not allowed on ${c.req.path}; allowed: ${methods.join(', ')}`], { Allow: methods.join(', ') }) }));

  clusterRoutes(app, options);
  jobManagerRoutes(app);
  jobRoutes(app, options);
  vertexRoutes(app, options);
  taskManagerRoutes(app, options);
  traceRoutes(app, options);
  consoleRoutes(app, options);

  app.notFound((c) => errorResponse(c, 404, [`Not found: ${c.req.path}`]));
  app.onError((error, c) => {
    const restError = toRestError(error);
    if (restError.status >= 500) options.log.warn(`REST ${c.req.method} ${c.req.path} failed: ${restError.message}`, { status: restError.status });
    return errorResponse(c, restError.status, restError.errors);
  });
  return app;
}
