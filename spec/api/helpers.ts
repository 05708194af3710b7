// Drives planned subtasks the way the Task actor does, without actors: a fake SubtaskContext with an
// in-memory split queue, and a loop of step() calls whose waits are bounded.
import type { ExecutionAttemptId, JobId } from '../../messages/ids.ts';
import type { InputSplit, JobVertex } from '../../messages/job-graph.ts';
import type { JobModule } from '../../api/index.ts';
import { planJob } from '../../api/runtime/plan.ts';
import type { Output } from '../../api/runtime/chain.ts';
import type { CheckpointResponder, SubtaskSnapshot } from '../../api/runtime/checkpointing/snapshot.ts';
import type { InputGate, JobPlan, OutputWriter, RunnableSubtask, StepResult, SubtaskContext } from '../../api/runtime/subtask.ts';
import { ManualProcessingTimeService } from '../../api/runtime/time/manual-processing-time-service.ts';
import type { ProcessingTimeService } from '../../api/runtime/time/timer-service.ts';

/** How long a spec waits for any one 'wait' to settle before it fails. */
export const WAIT_TIMEOUT_MS = 10_000;
/** Steps a spec allows a subtask before it fails (a subtask that never finishes). */
export const MAX_STEPS = 100_000;

/** The JobManager's split assigner in miniature: hands out a vertex's splits in order, then null. */
export class SplitQueue {
  private readonly remaining: InputSplit[];
  /** Who asked for each split handed out, in order. */
  readonly handedOut: { readonly subtaskIndex: number; readonly split: InputSplit }[] = [];

  constructor(splits: readonly InputSplit[] | undefined) {
    this.remaining = [...(splits ?? [])];
  }

  request(subtaskIndex: number): Promise<InputSplit | null> {
    const split = this.remaining.shift() ?? null;
    if (split) this.handedOut.push({ subtaskIndex, split });
    return Promise.resolve(split);
  }
}

export interface FakeContextOptions {
  readonly subtaskIndex?: number;
  readonly parallelism?: number;
  readonly attemptNumber?: number;
  readonly requestSplit?: () => Promise<InputSplit | null>;
  readonly stdout?: (line: string) => void;
  readonly maxParallelism?: number;
  readonly inputs?: readonly InputGate[];
  readonly outputs?: readonly OutputWriter[];
  readonly processingTimeService?: ProcessingTimeService;
  readonly checkpointResponder?: CheckpointResponder;
  readonly restoredState?: SubtaskSnapshot;
  /** Periodic checkpoints: a transactional sink that ends waits for its final checkpoint (SubtaskContext.finalCheckpoint). */
  readonly finalCheckpoint?: boolean;
}

export function fakeContext(options: FakeContextOptions = {}): SubtaskContext {
  return {
    jobId: 'job-1' as JobId,
    jobName: 'spec job',
    executionAttemptId: 'attempt-1' as ExecutionAttemptId,
    subtaskIndex: options.subtaskIndex ?? 0,
    parallelism: options.parallelism ?? 1,
    maxParallelism: options.maxParallelism ?? 128,
    attemptNumber: options.attemptNumber ?? 0,
    requestSplit: options.requestSplit ?? (() => Promise.resolve(null)),
    stdout: options.stdout ?? (() => {}),
    inputs: options.inputs ?? [],
    outputs: options.outputs ?? [],
    processingTimeService: options.processingTimeService ?? new ManualProcessingTimeService(),
    ...(options.checkpointResponder === undefined ? {} : { checkpointResponder: options.checkpointResponder }),
    ...(options.restoredState === undefined ? {} : { restoredState: options.restoredState }),
    ...(options.finalCheckpoint === undefined ? {} : { finalCheckpoint: options.finalCheckpoint }),
  };
}

/** An Output that hands each record to `onRecord` and ignores watermarks (for readers built outside a plan). */
export function recordsTo<T>(onRecord: (value: T) => void): Output<T> {
  return { collect: (value) => onRecord(value), emitWatermark: () => {}, emitWatermarkStatus: () => {} };
}

/** Settles with `promise`, or rejects once WAIT_TIMEOUT_MS passed. */
export async function within<T>(promise: Promise<T>, what = 'a wait', timeoutMs = WAIT_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunStats {
  readonly steps: number;
  readonly waits: number;
}

/** Steps an opened subtask until 'finished' (awaiting each wait, bounded); does not close it. */
export async function stepToEnd(subtask: RunnableSubtask, maxRecords = 100): Promise<RunStats> {
  let waits = 0;
  for (let steps = 1; steps <= MAX_STEPS; steps++) {
    const result: StepResult = subtask.step(maxRecords);
    if (result.kind === 'finished') return { steps, waits };
    if (result.kind === 'wait') {
      waits++;
      await within(result.until);
    }
  }
  throw new Error(`the subtask did not finish within ${MAX_STEPS} steps`);
}

/** open(), steps to the end, close(): as the Task does for a bounded subtask. */
export async function runSubtask(subtask: RunnableSubtask, maxRecords = 100): Promise<RunStats> {
  await subtask.open();
  const stats = await stepToEnd(subtask, maxRecords);
  await subtask.close();
  return stats;
}

export interface VertexRun {
  /** stdout lines per subtask index. */
  readonly stdout: string[][];
  readonly splits: SplitQueue;
}

/** Runs every subtask of a vertex in rounds (see stepInRounds), sharing one split queue. */
export async function runVertex(plan: JobPlan, vertex: JobVertex = plan.graph.vertices[0], maxRecords = 100): Promise<VertexRun> {
  const splits = new SplitQueue(vertex.splits);
  const stdout = Array.from({ length: vertex.parallelism }, (): string[] => []);
  const subtasks = stdout.map((lines, subtaskIndex) =>
    plan.createSubtask(
      vertex,
      fakeContext({ subtaskIndex, parallelism: vertex.parallelism, requestSplit: () => splits.request(subtaskIndex), stdout: (line) => lines.push(line) }),
    ),
  );
  await Promise.all(subtasks.map((subtask) => subtask.open()));
  await stepInRounds(subtasks.map((subtask) => ({ subtask, maxRecords })));
  await Promise.all(subtasks.map((subtask) => subtask.close()));
  return { stdout, splits };
}

/** Plans `module` and runs its only vertex; returns the stdout lines of all subtasks. */
export async function runJob(module: JobModule, args: readonly string[] = []): Promise<VertexRun & { readonly plan: JobPlan }> {
  const plan = await planJob(module, args);
  return { plan, ...(await runVertex(plan)) };
}

/** A subtask of the plan's only vertex (or of `vertexIndex`), with a queue of that vertex's splits. */
export function subtaskOf(plan: JobPlan, options: FakeContextOptions & { readonly vertexIndex?: number } = {}): RunnableSubtask {
  const vertex = plan.graph.vertices[options.vertexIndex ?? 0];
  const splits = new SplitQueue(vertex.splits);
  const subtaskIndex = options.subtaskIndex ?? 0;
  return plan.createSubtask(vertex, fakeContext({ requestSplit: () => splits.request(subtaskIndex), parallelism: vertex.parallelism, ...options }));
}

/**
 * Steps opened subtasks in rounds, one step each per round, as Task actors sharing a thread would;
 * a waiting subtask sits rounds out until its promise settled. Between rounds, every settled promise
 * runs (a macrotask turn), so the order of events is deterministic. Does not close the subtasks.
 */
export async function stepInRounds(subtasks: readonly { readonly subtask: RunnableSubtask; readonly maxRecords: number }[]): Promise<void> {
  const waiting = new Map<number, { settled: boolean }>();
  const finished = new Set<number>();
  for (let round = 0; finished.size < subtasks.length; round++) {
    if (round > MAX_STEPS) throw new Error(`the subtasks did not finish within ${MAX_STEPS} rounds`);
    subtasks.forEach(({ subtask, maxRecords }, index) => {
      if (finished.has(index) || waiting.get(index)?.settled === false) return;
      const result = subtask.step(maxRecords);
      if (result.kind === 'finished') finished.add(index);
      if (result.kind === 'wait') {
        const state = { settled: false };
        waiting.set(index, state);
        void result.until.finally(() => (state.settled = true));
      }
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
