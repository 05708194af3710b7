// Unaligned checkpoints when an input ends mid-checkpoint, on the embedded mini cluster: a bounded
// source finishes while its records still queue ahead of a slow map; a checkpoint triggered then
// reaches the map from the other source only, so the map's unaligned snapshot is pending until the
// finished source's channel ends, and that end counts as its barrier (as in Flink). The map notes,
// in its snapshotState(), which checkpoints it snapshotted before the bounded input's last record:
// the latest of them must complete as that input ends (a bounded wait, not the job's end or the
// 10 min checkpoint timeout), holding the bounded input's data up to its end in flight, and its
// `_metadata` says it was unaligned and how many in-flight bytes it persisted. The same with an
// aligned checkpoint timeout (1 ms: the barrier leaves the source aligned and the map switches at
// it, whatever the machine's load) and with a two-input map (connect) instead of a union.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { interval, map, takeWhile } from 'rxjs';
import type { DataStream, FunctionSnapshotContext, JobModule } from '../../api/index.ts';
import { decodeBatch, decodeSnapshot } from '../../api/runtime/checkpointing/snapshot-codec.ts';
import { type CheckpointMetadata, checkpointDirectory } from '../../cluster/checkpoint/storage.ts';
import { MiniCluster } from '../../cluster/minicluster.ts';
import { spin, tempDir } from './checkpoint-helpers.ts';
import { eventually, within } from './helpers.ts';

/**
 * The bounded source's records (negative, to tell them apart). It finishes once at most ~7 batches of
 * 1,000 are left to send (credit and backlog), so at MS_PER_RECORD they queue seconds at the map.
 */
const BOUNDED = 8_000;
const MS_PER_RECORD = 0.5;
/** How long after the bounded input's end the checkpoint in flight may take to complete. */
const PROMPTLY_MS = 5_000;

/** A checkpoint's `_metadata`, once it completed. */
function metadataOf(jobDirectory: string, checkpointId: number): CheckpointMetadata | undefined {
  const file = join(checkpointDirectory(jobDirectory, checkpointId), '_metadata');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CheckpointMetadata) : undefined;
}

interface Variant {
  /** Aligned at first, switching to unaligned after this long (execution.checkpointing.aligned-checkpoint-timeout). */
  readonly alignedCheckpointTimeoutMs?: number;
  /** connect() into a two-input map instead of union() into a keyed one. */
  readonly twoInputs?: boolean;
}

/** Runs of the scenario before its premise must have held once (a loaded machine can break it, rarely). */
const ATTEMPTS = 3;

const inputEndMacro = test.macro(async (t, variant: Variant) => {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (await inputEndScenario(t, variant, attempt === ATTEMPTS)) return;
  }
});

/**
 * One run; false when its premise did not hold and `last` is false: the latest checkpoint the map
 * took before the bounded input's end had already completed then (the map spends up to a batch's
 * 500 ms on the bounded input without looking at the other: under load the next checkpoint's barrier
 * can come only after the end), so there was nothing pending to look at.
 */
async function inputEndScenario(t: ExecutionContext, { alignedCheckpointTimeoutMs, twoInputs }: Variant, last: boolean): Promise<boolean> {
  const checkpoints = tempDir(t, 'weir-unaligned-end');
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: checkpoints, faultTolerance: { retainedCheckpoints: 50 } });
  t.teardown(() => cluster.close());
  let lastBoundedAt = 0;
  let stopped = false;
  /** Checkpoints the map snapshotted before the bounded input's last record reached it. */
  const pendingAtEnd: number[] = [];
  const job: JobModule = (env) => {
    const config = env.enableCheckpointing(100).getCheckpointConfig();
    config.enableUnalignedCheckpoints();
    if (alignedCheckpointTimeoutMs !== undefined) config.setAlignedCheckpointTimeout(alignedCheckpointTimeoutMs);
    const bounded = env.fromSequence(1, BOUNDED).uid('bounded-source').map((n: number) => -n).uid('bounded');
    // Goes on until the spec saw what it waits for, then ends: the job is bounded.
    const paced = env.fromObservable(() =>
      interval(5).pipe(
        takeWhile(() => !stopped),
        map((tick) => tick + 1),
      ),
    ) as DataStream<number>;
    const slow = (n: number): number => {
      spin(MS_PER_RECORD);
      if (n === -BOUNDED) lastBoundedAt = Date.now();
      return n;
    };
    const snapshotState = (context: FunctionSnapshotContext): void => {
      if (lastBoundedAt === 0) pendingAtEnd.push(context.getCheckpointId());
    };
    const mapped = twoInputs
      ? bounded.connect(paced).map({ map1: slow, map2: slow, snapshotState })
      : bounded
          .union(paced)
          .keyBy((n: number) => Math.abs(n) % 7)
          .map({ map: slow, snapshotState });
    mapped.uid('slow').sinkTo(() => {});
  };
  const handle = await cluster.submit(job, { parallelism: 1 });
  const jobDirectory = join(checkpoints, handle.jobId);
  let checkpointId = 0;
  let checkpoint: CheckpointMetadata | undefined;
  /** The in-flight input of the map's snapshot, per channel: whether it holds the bounded source's records. */
  let inFlightChannels: boolean[] = [];
  try {
    await eventually(() => lastBoundedAt > 0, 'the bounded input`s last record to reach the map', 30_000);
    checkpointId = pendingAtEnd[pendingAtEnd.length - 1] ?? 0;
    t.true(checkpointId > 0, 'the map snapshotted a checkpoint before the bounded input ended');
    await eventually(() => (checkpoint = metadataOf(jobDirectory, checkpointId)) !== undefined, `checkpoint ${checkpointId}, pending at the map when the bounded input ended, to complete`, PROMPTLY_MS);
    // Its files go with the job's directory when the job finishes: read the map's now.
    const file = checkpoint?.subtasks.find((entry) => entry.vertexId === 'slow')?.handle?.path;
    const inFlight = file === undefined ? undefined : decodeSnapshot(readFileSync(file), file).inFlight;
    inFlightChannels = (inFlight?.input ?? []).map(({ batches }) => batches.some((bytes) => decodeBatch(bytes, 'spec').records.some((n) => (n as number) < 0)));
  } finally {
    stopped = true;
  }
  t.is((await within(handle.result(), 'the job to finish', 30_000)).status, 'FINISHED');

  const completed = checkpoint as CheckpointMetadata;
  t.log(`checkpoint ${checkpointId}: triggered ${lastBoundedAt - completed.timestamp} ms before the bounded input ended at the map, completed ${completed.completedAt - lastBoundedAt} ms after`);
  if (completed.completedAt < lastBoundedAt && !last) {
    t.log('it completed before the end: no checkpoint was pending at the map then; running again');
    await cluster.close();
    return false;
  }
  const entry = (vertexId: string) => completed.subtasks.find((subtask) => subtask.vertexId === vertexId);
  t.true(entry('bounded-source')?.finished, 'the bounded source had finished: no barrier came from it');
  t.true(completed.completedAt >= lastBoundedAt, 'it waited for the bounded input`s end');
  t.true((entry('slow')?.inFlightBytes ?? 0) > 0, 'the map took it unaligned, with in-flight data');
  t.true(inFlightChannels.includes(true), 'the bounded input`s records up to its end are in flight');
  t.true(completed.unaligned);
  t.is(completed.inFlightBytes, completed.subtasks.reduce((sum, subtask) => sum + (subtask.inFlightBytes ?? 0), 0));
  // What weir info and the REST API show of the latest one (an unaligned checkpoint's source takes it unaligned too).
  const latest = (await cluster.details(handle.jobId)).checkpoints?.latest;
  t.true(latest !== null && latest !== undefined && latest.checkpointId >= checkpointId);
  if (alignedCheckpointTimeoutMs === undefined) t.is(latest?.unaligned, true);
  t.true(Number.isSafeInteger(latest?.inFlightBytes));
  return true;
}

test.serial('a checkpoint in flight when an input ends completes as that input ends, with its data up to the end in flight', inputEndMacro, {});
test.serial('an aligned checkpoint that switched to unaligned (its timeout passed) completes as the input ends too', inputEndMacro, { alignedCheckpointTimeoutMs: 1 });
test.serial('a two-input subtask (connect) whose first input ends mid-checkpoint completes it as that input ends', inputEndMacro, { twoInputs: true });
