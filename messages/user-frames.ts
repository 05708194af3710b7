// The user's frames of a stack: where in the job module an error was thrown, picked out of the
// runtime's frames (Weir's, Node's, packages') for the CLI, the client's rejection and the logs.
// A job bundle's frames reach here as the user's .ts files through its source map (api/client/bundle.ts).
import { fileURLToPath } from 'node:url';

/** Weir's checkout or package, with a trailing slash: the folder above this one. */
const WEIR_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Weir's own code under its root; the rest (examples/, spec/ fixtures) is written as a user writes jobs. */
const WEIR_SOURCES: ReadonlySet<string> = new Set(['actors', 'api', 'bin', 'cluster', 'messages', 'index.ts']);

/** At most this many frames: a deep recursion in user code must not flood a terminal. */
export const MAX_USER_FRAMES = 10;

/** "at fn (file:line:column)" or "at file:line:column"; the file is a path or a file: URL. */
const FRAME = /^\s*at (?:.+ \()?(.+):\d+:\d+\)?$/;

/** A bundle imported without its source map (api/client/plan-bundle.ts, cluster/taskmanager/job-code.ts). */
const UNMAPPED_BUNDLE = /[\\/]weir-(?:jobs|client)-[^\\/]+[\\/][^\\/]+\.mjs$/;

/**
 * The user's frames in `stack` (as toErrorInfo writes it: the error's, then each cause's after
 * "Caused by: "), as "at fn (file:line:column)" lines: the first run of frames outside Weir, Node
 * and node_modules in the innermost error that has one. The first run only: below it are Weir's
 * frames that called the user's function, then a TaskManager's own, which a client whose Weir is at
 * another path would take for the user's.
 */
export function userFrames(stack: string | undefined): string[] {
  if (!stack) return [];
  const errors = stack.split(/\nCaused by: /);
  for (let index = errors.length - 1; index >= 0; index--) {
    const frames = firstUserRun(errors[index]!.split('\n'));
    if (frames.length > 0) return frames;
  }
  return [];
}

function firstUserRun(lines: readonly string[]): string[] {
  const run: string[] = [];
  for (const line of lines) {
    const file = FRAME.exec(line)?.[1];
    if (file !== undefined && isUserFile(file)) {
      if (run.length < MAX_USER_FRAMES) run.push(line.trim());
    } else if (run.length > 0 && file !== undefined) {
      break;
    }
  }
  return run;
}

function isUserFile(location: string): boolean {
  const file = location.startsWith('file:') ? fileURLToPath(location) : location;
  // node:internal/..., <anonymous>, native, eval: nothing a user wrote to a file.
  if (!file.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(file)) return false;
  if (/[\\/]node_modules[\\/]/.test(file) || UNMAPPED_BUNDLE.test(file)) return false;
  if (!file.startsWith(WEIR_ROOT)) return true;
  return !WEIR_SOURCES.has(file.slice(WEIR_ROOT.length).split(/[\\/]/)[0]!);
}
