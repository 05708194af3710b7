// An example run on a standalone cluster as its top comment says (`weir run examples/<name> -p 2 --
// ...`), and its part files read back, for the examples' multi-process specs.
import type { ExecutionContext } from 'ava';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writtenLines } from '../examples/fraud-alerts.ts';
import { REPO_ROOT, runCommand } from './process.ts';

/** `weir run` type-checks the module, submits it and waits for the end: bounded, loudly. */
const RUN_TIMEOUT_MS = 60_000;

/** Runs the example at parallelism 2 with the cluster's environment; asserts that the job `jobName` FINISHED. */
export async function weirRunExample(t: ExecutionContext, env: NodeJS.ProcessEnv, example: string, jobName: string, args: readonly string[]): Promise<void> {
  const run = await runCommand(process.execPath, [join(REPO_ROOT, 'bin', 'weir.js'), 'run', `examples/${example}`, '-p', '2', '--', ...args], env, RUN_TIMEOUT_MS);
  t.is(run.code, 0, `weir run exited with ${run.code}: ${run.stderr}`);
  t.regex(run.stdout, new RegExp(`job "${jobName}" \\(\\S+\\) is FINISHED`));
}

/** The sorted lines of `directory`, after asserting that both subtasks wrote some: so both had keys. */
export function linesOfBothParts(t: ExecutionContext, directory: string): string[] {
  t.deepEqual(readdirSync(directory).sort(), ['part-0', 'part-1'], `one part file per subtask in ${directory}`);
  for (const part of ['part-0', 'part-1']) t.not(readFileSync(join(directory, part), 'utf8'), '', `${part} of ${directory} holds lines: both subtasks had keys`);
  return writtenLines(directory);
}

/** The committed lines of a FileSink's directory, sorted: hidden (in-progress, pending) part files are not output yet. */
export function committedLines(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .sort();
}
