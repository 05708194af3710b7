// GET /: until the web console's assets are served here, a small page linking the JSON endpoints.
import type { RestApp, RestDependencies } from '../context.ts';

const ENDPOINTS = ['/overview', '/config', '/jobs', '/jobs/overview', '/taskmanagers'];

export function consoleRoutes(app: RestApp, { version }: RestDependencies): void {
  app.get('/', (c) =>
    c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weir ${version}</title></head><body>` +
        `<h1>Weir ${version}</h1><p>The REST API (Flink's paths and fields):</p><ul>` +
        ENDPOINTS.map((path) => `<li><a href="${path}">${path}</a></li>`).join('') +
        '</ul></body></html>',
    ),
  );
}
