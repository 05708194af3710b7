// Fixtures for the file and socket source specs: temporary directories, an OperatorRuntime to build a
// reader by hand, and bounded loops that drive a reader or an unbounded subtask.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DISCARDING_OUTPUT, type OperatorRuntime } from '../../../api/runtime/chain.ts';
import type { RunnableSubtask } from '../../../api/runtime/subtask.ts';
import type { SourceReader } from '../../../api/runtime/source-reader.ts';
import { MAX_STEPS, WAIT_TIMEOUT_MS, fakeContext, within } from '../helpers.ts';
import { OperatorRuntimeContext } from '../../../api/runtime/operator-runtime-context.ts';

export async function temporaryDirectory(t: { teardown: (fn: () => Promise<void>) => void }, prefix = 'weir-source-'): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** What a chain gives a source reader, for a reader built outside a plan. */
export function operatorRuntime(name: string, id: string): OperatorRuntime {
  const subtask = fakeContext();
  return {
    descriptor: { id, kind: id, name, config: {} },
    tracker: { current: null },
    subtask,
    runtimeContext: new OperatorRuntimeContext(subtask, name, `operator "${name}" (id "${id}")`),
    runtimeMode: 'STREAMING',
    autoWatermarkIntervalMs: 200,
    objectReuse: false,
    sideOutput: () => DISCARDING_OUTPUT,
    eventOutput: DISCARDING_OUTPUT,
  };
}

/** Reads `reader` to its end, `maxRecords` per read; waits are bounded; throws a 'failed' status's error. */
export async function readToEnd(reader: SourceReader, maxRecords = 100): Promise<void> {
  for (let reads = 0; reads < MAX_STEPS; reads++) {
    const status = reader.read(maxRecords);
    if (status.kind === 'end') return;
    if (status.kind === 'failed') throw status.error;
    if (status.kind === 'wait') await within(status.until, 'a source wait');
  }
  throw new Error(`the reader did not end within ${MAX_STEPS} reads`);
}

/** Steps an opened, unbounded subtask until `done()` holds, awaiting its waits; fails after `timeoutMs`. */
export async function stepUntil(subtask: RunnableSubtask, done: () => boolean, options: { maxRecords?: number; timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? WAIT_TIMEOUT_MS);
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`the condition did not hold within ${options.timeoutMs ?? WAIT_TIMEOUT_MS} ms`);
    const result = subtask.step(options.maxRecords ?? 100);
    if (done()) return;
    if (result.kind === 'finished') throw new Error('the subtask finished before the condition held');
    if (result.kind === 'wait') await within(result.until, 'a step wait', Math.max(1, deadline - Date.now()));
  }
}
