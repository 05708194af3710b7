// weir run type-checks a TypeScript job module before it bundles and submits it: esbuild strips
// types without checking them, so without this a job with a type error would run (and fail, or
// worse, not fail) on the cluster. The check is TypeScript's own `tsc --noEmit` over the module and
// what it imports, with the settings of the nearest tsconfig.json (or strict defaults without one).
// No TypeScript installed (neither next to the module nor next to Weir): the job runs unchecked,
// with a warning. `weir run --no-typecheck` skips the check.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { WeirError } from '../../messages/errors.ts';

/** How long tsc may take (the native compiler checks a job in about a second). */
export const TYPECHECK_TIMEOUT_MS = 120_000;
/** Diagnostics lines shown at most; the rest are counted. */
const SHOWN_DIAGNOSTICS = 20;

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** Compiler options when no tsconfig.json is found: what Weir itself is checked with. */
const DEFAULT_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  noEmit: true,
};

export type TypecheckOutcome = { readonly checked: true } | { readonly checked: false; readonly reason: string };

/** Resolves when the module type-checks; rejects with TYPE_CHECK_FAILED listing tsc's diagnostics. */
export async function typecheckJobModule(modulePath: string): Promise<TypecheckOutcome> {
  if (!TYPESCRIPT_EXTENSIONS.has(extname(modulePath))) return { checked: false, reason: 'not a TypeScript module' };
  const tsc = findTsc(modulePath);
  if (!tsc) return { checked: false, reason: 'TypeScript is not installed next to the job module or next to Weir' };
  const tsconfig = findUp(dirname(modulePath), 'tsconfig.json');
  // A project file of our own beside the user's tsconfig (so its relative paths and type roots hold):
  // their settings, only this module and its imports.
  const directory = tsconfig ? dirname(tsconfig) : dirname(modulePath);
  const project = join(directory, `.weir-typecheck-${randomBytes(4).toString('hex')}.json`);
  const config = tsconfig
    ? { extends: `./${relative(directory, tsconfig)}`, compilerOptions: { noEmit: true }, files: [modulePath], include: [] }
    : { compilerOptions: { ...DEFAULT_OPTIONS, ...nodeTypes() }, files: [modulePath], include: [] };
  writeFileSync(project, JSON.stringify(config));
  try {
    const { code, output } = await run(process.execPath, [tsc, '-p', project, '--pretty', 'false']);
    if (code === 0) return { checked: true };
    throw new WeirError('TYPE_CHECK_FAILED', `${display(modulePath)} does not type-check (tsc${tsconfig ? ` with ${display(tsconfig)}` : ''}):\n${summarize(output, directory)}`);
  } finally {
    rmSync(project, { force: true });
  }
}

/** tsc's entry script: the module's own TypeScript first, else Weir's. */
function findTsc(modulePath: string): string | undefined {
  for (const from of [modulePath, import.meta.url]) {
    try {
      const manifestPath = createRequire(from).resolve('typescript/package.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: Record<string, string> | string };
      const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.tsc;
      if (bin && existsSync(join(dirname(manifestPath), bin))) return join(dirname(manifestPath), bin);
    } catch {
      // not resolvable from there
    }
  }
  return undefined;
}

/** Node's types as Weir has them (Weir's sources use them), for a module without a tsconfig. */
function nodeTypes(): { typeRoots?: string[]; types?: string[] } {
  try {
    const manifest = createRequire(import.meta.url).resolve('@types/node/package.json');
    return { typeRoots: [dirname(dirname(manifest))], types: ['node'] };
  } catch {
    return {};
  }
}

function findUp(directory: string, name: string): string | undefined {
  for (let current = directory; ; current = dirname(current)) {
    if (existsSync(join(current, name))) return join(current, name);
    if (dirname(current) === current) return undefined;
  }
}

function summarize(output: string, directory: string): string {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const errors = lines.filter((line) => /error TS\d+/.test(line)).length;
  // tsc names files relative to the working directory: shown the same way, or absolute outside it.
  const shown = lines.slice(0, SHOWN_DIAGNOSTICS).map((line) => `  ${line.replace(/^([^\s(][^(]*)(?=\(\d+,\d+\))/, (file) => display(resolve(file)))}`);
  const more = lines.length > SHOWN_DIAGNOSTICS ? [`  ... ${lines.length - SHOWN_DIAGNOSTICS} more lines`] : [];
  const total = errors > 0 ? [`${errors} error${errors === 1 ? '' : 's'}; fix them, or run with --no-typecheck`] : [`see above (tsc in ${directory})`];
  return [...shown, ...more, ...total].join('\n');
}

/** A path relative to the working directory when it is inside it, else absolute. */
function display(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === '' || shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}

function run(command: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: TYPECHECK_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
