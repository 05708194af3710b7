// What the embedded checkpoint and savepoint specs share: temporary directories, a map that takes
// its time (so that checkpoints fall mid-stream), the committed lines of a FileSink, and a savepoint
// taken once every task runs.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { WeirError } from '../../messages/errors.ts';

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

/** Every line of the committed part files of a FileSink's directory, sorted; hidden (in-progress, pending) files are not output. */
export function committedLines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter((line) => line !== ''))
    .sort();
}

/** The numbers in every committed part file of a FileSink's directory, sorted. */
export function committedNumbers(dir: string): number[] {
  return committedLines(dir)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * A savepoint as soon as every task runs: until then the JobManager refuses it (as Flink does: "not
 * every task is running"), and that refusal is retried for a bounded time.
 */
export async function savepointOnceRunning(take: () => Promise<string>): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await take();
    } catch (error) {
      if (!(error instanceof WeirError) || !/not every task is running/.test(error.message) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
