// GET / (and /index.html, /app.js, /app.css): the web console, bundled on the first request
// (cluster/dispatcher/console). A failed build answers 500 with esbuild's complaint.
import type { RestApp, RestDependencies } from '../context.ts';
import { CONSOLE_PATHS, consoleAssets } from '../../console/assets.ts';

export function consoleRoutes(app: RestApp, _dependencies: RestDependencies): void {
  for (const path of CONSOLE_PATHS) {
    app.get(path, async (c) => {
      const asset = (await consoleAssets()).get(path);
      if (!asset) return c.notFound();
      // Revalidated on every load: a restarted cluster may serve another build.
      return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': asset.contentType, 'cache-control': 'no-cache' });
    });
  }
}
