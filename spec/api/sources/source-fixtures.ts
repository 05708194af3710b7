// Fixtures for the source specs: temporary directories, an OperatorRuntime to build a reader by hand,
// bounded loops that drive a reader or an unbounded subtask, and for fromSource specs a fed split, a
// hand-fed enumerator and a connector subtask on a manual clock.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { JobModule } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import { DISCARDING_OUTPUT, type OperatorRuntime } from '../../../api/runtime/chain.ts';
import type { RunnableSubtask } from '../../../api/runtime/subtask.ts';
import type { SourceReader } from '../../../api/runtime/source-reader.ts';
import { ManualProcessingTimeService } from '../../../api/runtime/time/manual-processing-time-service.ts';
import { ElementWriter } from '../harness/fakes.ts';
import { MAX_STEPS, WAIT_TIMEOUT_MS, fakeContext, within } from '../helpers.ts';
import { OperatorRuntimeContext } from '../../../api/runtime/operator-runtime-context.ts';

export async function temporaryDirectory(t: { teardown: (fn: () => Promise<void>) => void }, prefix = 'weir-source-'): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** What a chain gives a source reader (or an operator), for one built outside a plan. */
export function operatorRuntime(name: string, id: string, subtask = fakeContext()): OperatorRuntime {
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

/** An endless split the test feeds: push() records, end() it. */
export class Feed<T> implements AsyncIterable<T> {
  private readonly queue: T[] = [];
  private ended = false;
  private wake: (() => void) | null = null;

  push(...records: T[]): void {
    this.queue.push(...records);
    this.wakeReader();
  }

  end(): void {
    this.ended = true;
    this.wakeReader();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.queue.length > 0) yield this.queue.shift() as T;
      else if (this.ended) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private wakeReader(): void {
    this.wake?.();
    this.wake = null;
  }
}

/** A split enumerator's answers, handed out as the test offers them (a reader asking early waits). */
export class SplitDesk<Split> {
  private readonly offered: (Split | null)[] = [];
  private waiting: ((split: Split | null) => void) | null = null;

  offer(...splits: (Split | null)[]): void {
    for (const split of splits) {
      if (this.waiting) {
        this.waiting(split);
        this.waiting = null;
      } else this.offered.push(split);
    }
  }

  next(): Split | null | Promise<Split | null> {
    if (this.offered.length > 0) return this.offered.shift() as Split | null;
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

/**
 * Subtask 0 of the first vertex of `module` (a fromSource vertex), opened, its splits from the
 * source's own enumerator, its only output an ElementWriter, its clock a manual one at 0; closed at
 * teardown.
 */
export async function connectorSubtask(t: ExecutionContext, module: JobModule, label: (record: unknown) => string) {
  const plan = await planJob(module, []);
  const vertex = plan.graph.vertices[0];
  const enumerator = plan.createSplitEnumerator(vertex);
  const writer = new ElementWriter(label);
  const clock = new ManualProcessingTimeService(0);
  const subtask = plan.createSubtask(vertex, fakeContext({ outputs: [writer], processingTimeService: clock, requestSplit: () => enumerator.nextSplit(0) }));
  t.teardown(() => subtask.close());
  await subtask.open();
  return { subtask, writer, clock };
}

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Steps until the subtask waits for something that does not settle within a macrotask turn (a
 * feed or an enumerator the test has not fed yet), or finishes; returns which.
 */
export async function runUntilQuiet(subtask: RunnableSubtask, maxRecords = 100): Promise<'waiting' | 'finished'> {
  for (let steps = 0; steps < MAX_QUIET_STEPS; steps++) {
    const result = subtask.step(maxRecords);
    if (result.kind === 'finished') return 'finished';
    if (result.kind === 'wait') {
      let settled = false;
      const mark = (): void => void (settled = true);
      void result.until.then(mark, mark);
      await macrotask();
      if (!settled) return 'waiting';
    }
  }
  throw new Error(`the subtask neither waited nor finished within ${MAX_QUIET_STEPS} steps`);
}

/** Steps runUntilQuiet allows. */
const MAX_QUIET_STEPS = 1_000;
