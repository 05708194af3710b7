// Frames in a job bundle map back to the user's sources through the bundle's inline source map,
// registered by the process that imported it, whatever the loader did to the module's own map.
import test from 'ava';
import { buildSync } from 'esbuild';
import { pathToFileURL } from 'node:url';
import { mapBundleFrames, registerBundleSourceMap } from '../../messages/bundle-frames.ts';

const SOURCE = '/home/me/jobs/job.ts';
const BUNDLE = '/tmp/weir-jobs-1-x/job-1-f00d.mjs';

/** A bundle of one function that throws on its second line, with its map as bundleJob writes it. */
function bundle(): string {
  const [output] = buildSync({
    stdin: { contents: 'export function check(n: number): number {\n  if (n < 0) throw new RangeError(`negative: ${n}`);\n  return n;\n}\n', loader: 'ts', sourcefile: 'job.ts' },
    format: 'esm',
    write: false,
    sourcemap: 'inline',
    sourcesContent: false,
    sourceRoot: 'file:///home/me/jobs/',
  }).outputFiles;
  return output!.text;
}

/** Where the bundle's `new RangeError` is, 1-based, as a frame names it. */
function throwSite(code: string): string {
  const lines = code.split('\n');
  const line = lines.findIndex((text) => text.includes('new RangeError'));
  return `${line + 1}:${lines[line]!.indexOf('new RangeError') + 1}`;
}

test('a frame in a registered bundle names the source file, line and column; other frames stay as they are', (t) => {
  const code = bundle();
  const forget = registerBundleSourceMap(BUNDLE, code);
  t.teardown(forget);
  const stack = [
    'RangeError: negative: -1',
    `    at check (${BUNDLE}:${throwSite(code)})`,
    `    at ${pathToFileURL(BUNDLE).href}:${throwSite(code)}`,
    '    at MapOperator.collect (/opt/weir/api/operators/map.ts:32:29)',
    '    at new Promise (<anonymous>)',
  ].join('\n');
  t.is(
    mapBundleFrames(stack),
    ['RangeError: negative: -1', `    at check (${SOURCE}:2:20)`, `    at ${SOURCE}:2:20`, '    at MapOperator.collect (/opt/weir/api/operators/map.ts:32:29)', '    at new Promise (<anonymous>)'].join('\n'),
  );
});

test('a forgotten bundle, or one without an inline map, maps nothing', (t) => {
  const code = bundle();
  const stack = `RangeError: negative: -1\n    at check (${BUNDLE}:${throwSite(code)})`;
  registerBundleSourceMap(BUNDLE, code)();
  t.is(mapBundleFrames(stack), stack);
  t.teardown(registerBundleSourceMap(BUNDLE, code.replace(/\/\/# sourceMappingURL=.*\n?$/, '')));
  t.is(mapBundleFrames(stack), stack);
});
