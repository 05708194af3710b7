// consoleAssets(): the web console bundled in memory, once per process, from any working directory.
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_PATHS, consoleAssets } from '../../../../cluster/dispatcher/console/assets.ts';

test.serial('the console bundles from a working directory outside the package, and names its script and style sheet in its page', async (t) => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'weir-console-cwd-'));
  const home = process.cwd();
  t.teardown(() => rmSync(elsewhere, { recursive: true, force: true }));
  // The first call bundles: make it from a directory without node_modules.
  process.chdir(elsewhere);
  let assets: Awaited<ReturnType<typeof consoleAssets>>;
  try {
    assets = await consoleAssets();
  } finally {
    process.chdir(home);
  }
  t.deepEqual([...assets.keys()], [...CONSOLE_PATHS]);
  const text = (path: string): string => new TextDecoder().decode(assets.get(path)!.body);
  t.deepEqual(
    CONSOLE_PATHS.map((path) => assets.get(path)!.contentType),
    ['text/html; charset=utf-8', 'text/html; charset=utf-8', 'text/javascript; charset=utf-8', 'text/css; charset=utf-8'],
  );
  t.true(text('/').includes('<script type="module" src="app.js"></script>') && text('/').includes('<link rel="stylesheet" href="app.css" />'));
  // preact, uPlot and dagre are inlined: the browser loads one script, with no bare imports left.
  t.false(/\bimport\s*["'{]/.test(text('/app.js').slice(0, 2000)));
  t.true(text('/app.js').length > 50_000);
  // uPlot's own style sheet comes with ours.
  t.true(text('/app.css').includes('.u-legend') && text('/app.css').includes('.trace-row'));
});

test.serial('a process bundles once: later calls get the same files', async (t) => {
  const first = await consoleAssets();
  t.is(await consoleAssets(), first);
});
