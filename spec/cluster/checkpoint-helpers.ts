// What the embedded checkpoint and savepoint specs share: temporary directories, a map that takes
// its time (so that checkpoints fall mid-stream), and the committed lines of a FileSink.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';

/** A temporary directory removed when the test ends. */
export function tempDir(t: ExecutionContext, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Busy for about `ms`: a synchronous map that takes its time. */
export function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** The numbers in every committed part file of a FileSink's directory, sorted; hidden (in-progress, pending) files are not output. */
export function committedNumbers(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter((line) => line !== ''))
    .map(Number)
    .sort((a, b) => a - b);
}
