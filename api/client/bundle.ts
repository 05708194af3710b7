// Bundles a job module and everything it imports into one ESM file: the code the client plans and
// ships with the JobGraph, and that every TaskManager imports to find the operators' functions.
// Node's builtins stay imports (platform 'node'); packages are inlined, so a TaskManager needs
// nothing but the bundle.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { WeirError, describeError } from '../../messages/errors.ts';

/** The oldest Node release Weir supports (package.json engines). */
const BUNDLE_TARGET = 'node20';

// CommonJS packages inlined into an ES module still call require(); esbuild's shim throws unless a
// real `require` is in scope, so the bundle makes one.
const REQUIRE_SHIM = "import { createRequire as __weirCreateRequire } from 'node:module';\nconst require = __weirCreateRequire(import.meta.url);";

/** The module at `modulePath` (relative to the working directory) as one ESM string. */
export async function bundleJob(modulePath: string): Promise<string> {
  const entry = resolve(modulePath);
  if (!existsSync(entry)) throw new WeirError('BUNDLE_FAILED', `cannot bundle the job module ${entry}: no such file`);
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: BUNDLE_TARGET,
      write: false,
      logLevel: 'silent',
      banner: { js: REQUIRE_SHIM },
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
