// Unaligned checkpoints when an input ends mid-checkpoint, on the embedded mini cluster: a bounded
// source finishes while its records still queue ahead of a slow keyed map; the next checkpoint's
// barrier reaches the map from the other source only, so the map's unaligned snapshot waits for the
// finished source's channel, whose end counts as its barrier (as in Flink). The checkpoint must
// complete as that channel ends, with the channel's data up to its end in flight, not hang until
// the job ends or the 10 min checkpoint timeout. Its `_metadata` says it was unaligned and how many
// in-flight bytes it persisted. The same with an aligned checkpoint timeout (the map blocks the other
// channel, its timer switches it to unaligned) and with a two-input map (connect) instead of a union.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { interval, map, takeWhile } from 'rxjs';
import type { DataStream, JobModule } from '../../api/index.ts';
import { decodeBatch, decodeSnapshot } from '../../api/runtime/checkpointing/snapshot-codec.ts';
import type { CheckpointMetadata } from '../../cluster/checkpoint/storage.ts';
import { MiniCluster } from '../../cluster/minicluster.ts';
import { spin, tempDir } from './checkpoint-helpers.ts';
import { eventually, within } from './helpers.ts';

/** The bounded source's records (negative, to tell them apart); at MS_PER_RECORD they queue ~3 s at the map. */
const BOUNDED = 6_000;
const MS_PER_RECORD = 0.5;
/** How long after the bounded input's end the checkpoint in flight may take to complete. */
const PROMPTLY_MS = 5_000;

/** The bounded source took part as finished: the barrier reached the map from the other source only. */
const finishedSource = (metadata: CheckpointMetadata): boolean => metadata.subtasks.some((entry) => entry.finished === true && entry.splitsReceived === 4);

/** Every completed checkpoint's metadata in the job's directory (read while the job runs: a FINISHED job's are deleted). */
function completedMetadata(jobDirectory: string): CheckpointMetadata[] {
  if (!existsSync(jobDirectory)) return [];
  return readdirSync(jobDirectory)
    .filter((name) => name.startsWith('chk-') && existsSync(join(jobDirectory, name, '_metadata')))
    .map((name) => JSON.parse(readFileSync(join(jobDirectory, name, '_metadata'), 'utf8')) as CheckpointMetadata);
}

interface Variant {
  /** Aligned at first, switching to unaligned after this long (execution.checkpointing.aligned-checkpoint-timeout). */
  readonly alignedCheckpointTimeoutMs?: number;
  /** connect() into a two-input map instead of union() into a keyed one. */
  readonly twoInputs?: boolean;
}

const inputEndMacro = test.macro(async (t, { alignedCheckpointTimeoutMs, twoInputs }: Variant) => {
  const checkpoints = tempDir(t, 'weir-unaligned-end');
  const cluster = await MiniCluster.start({ log: { level: 'off' }, checkpointsDirectory: checkpoints, faultTolerance: { retainedCheckpoints: 50 } });
  t.teardown(() => cluster.close());
  let lastBoundedAt = 0;
  let stopped = false;
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
    );
    const slow = (n: number): number => {
      spin(MS_PER_RECORD);
      if (n === -BOUNDED) lastBoundedAt = Date.now();
      return n;
    };
    const mapped = twoInputs
      ? bounded.connect(paced as DataStream<number>).map({ map1: slow, map2: slow })
      : bounded
          .union(paced as DataStream<number>)
          .keyBy((n: number) => Math.abs(n) % 7)
          .map(slow);
    mapped.uid('slow').sinkTo(() => {});
  };
  const handle = await cluster.submit(job, { parallelism: 1 });
  const jobDirectory = join(checkpoints, handle.jobId);
  let spanning: CheckpointMetadata | undefined;
  /** The in-flight input of the map's snapshot, per channel: whether it holds the bounded source's records. */
  let inFlightChannels: boolean[] = [];
  try {
    // The bounded source's last record reaches the map long after the source finished; its end follows it.
    await eventually(() => lastBoundedAt > 0, 'the bounded input to end at the map', 30_000);
    await eventually(
      () => (spanning = completedMetadata(jobDirectory).find((metadata) => finishedSource(metadata) && metadata.timestamp < lastBoundedAt && metadata.completedAt >= lastBoundedAt)) !== undefined,
      'the checkpoint in flight at the end of the bounded input to complete',
      PROMPTLY_MS,
    );
    // Its files go with the job's directory when the job finishes: read the map's now.
    const handle = spanning?.subtasks.find((entry) => entry.splitsReceived === null && entry.handle !== null)?.handle;
    const inFlight = handle ? decodeSnapshot(readFileSync(handle.path), handle.path).inFlight : undefined;
    inFlightChannels = (inFlight?.input ?? []).map(({ batches }) => batches.some((bytes) => decodeBatch(bytes, 'spec').records.some((n) => (n as number) < 0)));
  } finally {
    stopped = true;
  }
  t.is((await within(handle.result(), 'the job to finish', 30_000)).status, 'FINISHED');

  const checkpoint = spanning as CheckpointMetadata;
  t.log(`checkpoint ${checkpoint.checkpointId}: triggered ${lastBoundedAt - checkpoint.timestamp} ms before the bounded input ended at the map, completed ${checkpoint.completedAt - lastBoundedAt} ms after`);
  const slowMap = checkpoint.subtasks.find((entry) => entry.splitsReceived === null);
  t.true((slowMap?.inFlightBytes ?? 0) > 0, 'the map took it unaligned, with the finished input`s data up to its end in flight');
  t.true(inFlightChannels.includes(true), 'the finished source`s records up to its end are in flight');
  t.true(checkpoint.unaligned);
  t.is(checkpoint.inFlightBytes, checkpoint.subtasks.reduce((sum, entry) => sum + (entry.inFlightBytes ?? 0), 0));
});

test.serial('a checkpoint in flight when an input ends completes as that input ends, with its data up to the end in flight', inputEndMacro, {});
test.serial('an aligned checkpoint that switched to unaligned (its timeout passed) completes as the input ends too', inputEndMacro, { alignedCheckpointTimeoutMs: 50 });
test.serial('a two-input subtask (connect) whose first input ends mid-checkpoint completes it as that input ends', inputEndMacro, { twoInputs: true });
