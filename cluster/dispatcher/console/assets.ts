// The web console's files, as the REST server serves them at `/`: the page, one script, one style
// sheet. esbuild bundles the app (app/, preact + htm, uPlot, dagre) in memory the first time they
// are asked for; the promise is kept, so a process bundles once. The app's packages resolve from
// this package's node_modules whatever the process's working directory is.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WeirError, describeError } from '../../../messages/errors.ts';

export interface ConsoleAsset {
  readonly contentType: string;
  readonly body: Uint8Array;
}

const APP_DIRECTORY = fileURLToPath(new URL('./app/', import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Browsers the console supports: those with ES2022, EventSource and ResizeObserver. */
const BROWSER_TARGETS = ['chrome110', 'firefox110', 'safari16'];

/** Every path consoleAssets() has, for a server to route before the first build. */
export const CONSOLE_PATHS: readonly string[] = ['/', '/index.html', '/app.js', '/app.css'];

let assets: Promise<ReadonlyMap<string, ConsoleAsset>> | undefined;

/** The console's files by path ('/', '/index.html', '/app.js', '/app.css'), built once per process on first use. */
export function consoleAssets(): Promise<ReadonlyMap<string, ConsoleAsset>> {
  // A failed build is not kept: the next request tries again (a file may have been mid-edit).
  assets ??= buildAssets().catch((error: unknown) => {
    assets = undefined;
    throw error;
  });
  return assets;
}

async function buildAssets(): Promise<ReadonlyMap<string, ConsoleAsset>> {
  let outputs: { readonly path: string; readonly contents: Uint8Array }[];
  try {
    const result = await build({
      absWorkingDir: PACKAGE_ROOT,
      entryPoints: { app: `${APP_DIRECTORY}main.ts`, 'app-styles': `${APP_DIRECTORY}styles.css` },
      outdir: `${APP_DIRECTORY}out`,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: BROWSER_TARGETS,
      minify: true,
      legalComments: 'none',
      write: false,
      logLevel: 'silent',
    });
    outputs = result.outputFiles;
  } catch (error) {
    throw new WeirError('BUNDLE_FAILED', `cannot bundle the web console from ${APP_DIRECTORY}: ${describeError(error)}`, { cause: error });
  }
  const script = outputs.find((file) => file.path.endsWith('/app.js'));
  const styles = outputs.find((file) => file.path.endsWith('/app-styles.css'));
  if (!script || !styles) throw new WeirError('BUNDLE_FAILED', `cannot bundle the web console from ${APP_DIRECTORY}: esbuild made ${outputs.map((file) => file.path).join(', ')}`);
  const page = { contentType: 'text/html; charset=utf-8', body: new Uint8Array(await readFile(`${APP_DIRECTORY}index.html`)) };
  return new Map<string, ConsoleAsset>([
    ['/', page],
    ['/index.html', page],
    ['/app.js', { contentType: 'text/javascript; charset=utf-8', body: script.contents }],
    ['/app.css', { contentType: 'text/css; charset=utf-8', body: styles.contents }],
  ]);
}
