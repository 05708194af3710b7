// Bundles a job module and everything it imports into one ESM file: the code the client plans and
// ships with the JobGraph, and that every TaskManager imports to find the operators' functions.
// Node's builtins stay imports (platform 'node'); packages are inlined, so a TaskManager needs
// nothing but the bundle. The package entry (index.ts at the root) is bundled as bundled-entry.ts:
// the API without the executor wiring; the client and the mini cluster have no business there.
// The bundle carries its source map inline, so that an error thrown in it, wherever it is imported,
// has the frames of the user's .ts files (file:line:column), not of a temporary .mjs file.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Plugin, build } from 'esbuild';
import { WeirError, describeError } from '../../messages/errors.ts';

/** Weir's package entry, and what a bundle gets in its place. */
const PACKAGE_ENTRY = fileURLToPath(new URL('../../index.ts', import.meta.url));
const BUNDLED_ENTRY = fileURLToPath(new URL('./bundled-entry.ts', import.meta.url));

const bundledEntry: Plugin = {
  name: 'weir-bundled-entry',
  setup(plugin) {
    const filter = new RegExp(`^${PACKAGE_ENTRY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    plugin.onLoad({ filter }, () => ({ contents: `export * from ${JSON.stringify(BUNDLED_ENTRY)};\n`, loader: 'ts', resolveDir: dirname(PACKAGE_ENTRY) }));
  },
};

/** The oldest Node release Weir supports (package.json engines). */
const BUNDLE_TARGET = 'node20';

// CommonJS packages inlined into an ES module still call require(); esbuild's shim throws unless a
// real `require` is in scope, so the bundle makes one.
const REQUIRE_SHIM = "import { createRequire as __weirCreateRequire } from 'node:module';\nconst require = __weirCreateRequire(import.meta.url);";

/** The module at `modulePath` (relative to the working directory) as one ESM string. */
export async function bundleJob(modulePath: string): Promise<string> {
  const entry = resolve(modulePath);
  if (!existsSync(entry)) throw new WeirError('BUNDLE_FAILED', `cannot bundle the job module ${entry}: no such file`);
  const workingDirectory = process.cwd();
  try {
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: workingDirectory,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: BUNDLE_TARGET,
      write: false,
      logLevel: 'silent',
      banner: { js: REQUIRE_SHIM },
      // Sources are written relative to the working directory; the root makes them absolute file
      // URLs, since the bundle is imported from elsewhere (a temporary file on every TaskManager).
      // Without their contents: frames need the mappings only, and the bundle stays small.
      sourcemap: 'inline',
      sourcesContent: false,
      sourceRoot: pathToFileURL(join(workingDirectory, '/')).href,
      plugins: [bundledEntry],
    });
    const [output] = result.outputFiles;
    if (!output) throw new Error('esbuild produced no output');
    return output.text;
  } catch (error) {
    throw new WeirError('BUNDLE_FAILED', `cannot bundle the job module ${entry}: ${firstProblem(error)}`, { cause: error });
  }
}

interface EsbuildMessage {
  readonly text: string;
  readonly location?: { readonly file: string; readonly line: number; readonly column: number } | null;
}

/** esbuild reports every error; the first says what went wrong, `cause` keeps the rest. */
function firstProblem(error: unknown): string {
  const errors = (error as { errors?: unknown }).errors;
  const first = Array.isArray(errors) ? (errors[0] as EsbuildMessage | undefined) : undefined;
  if (!first || typeof first.text !== 'string') return describeError(error);
  const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : '';
  return where + first.text;
}
