// GET /jobs/:jobId/checkpoints' entries from a job's checkpoint statistics: an unaligned checkpoint is
// Flink's UNALIGNED_CHECKPOINT with is_unaligned and its in-flight bytes as persisted_data; an
// aligned one, and one whose metadata predates the record, show neither.
import test from 'ava';
import { checkpointingStatistics } from '../../../../cluster/dispatcher/rest/checkpoint-mappers.ts';
import type { CheckpointStats, JobDetails, LatestCheckpoint } from '../../../../messages/dispatcher.ts';

const details = { vertices: [{ parallelism: 2 }, { parallelism: 3 }] } as unknown as JobDetails;
const LATEST: LatestCheckpoint = { checkpointId: 4, path: '/ckpt/job-1/chk-4', completedAt: 10_500, durationMs: 500, bytes: 2_048, savepoint: false };

function latestEntry(latest: LatestCheckpoint): Record<string, unknown> {
  const stats: CheckpointStats = { completed: 4, failed: 1, restarts: 0, latest };
  const body = checkpointingStatistics(details, stats) as { latest: { completed: Record<string, unknown> | null; savepoint: Record<string, unknown> | null } };
  return (body.latest.completed ?? body.latest.savepoint) as Record<string, unknown>;
}

const pick = (entry: Record<string, unknown>) => ({
  checkpoint_type: entry.checkpoint_type,
  is_unaligned: entry.is_unaligned,
  persisted_data: entry.persisted_data,
  processed_data: entry.processed_data,
  state_size: entry.state_size,
  num_subtasks: entry.num_subtasks,
});

test('an unaligned checkpoint shows is_unaligned, its type UNALIGNED_CHECKPOINT and the in-flight bytes it persisted', (t) => {
  t.deepEqual(pick(latestEntry({ ...LATEST, unaligned: true, inFlightBytes: 640 })), {
    checkpoint_type: 'UNALIGNED_CHECKPOINT',
    is_unaligned: true,
    persisted_data: 640,
    processed_data: 0,
    state_size: 2_048,
    num_subtasks: 5,
  });
});

test('an aligned checkpoint, a savepoint and a checkpoint without the record show no unaligned data', (t) => {
  const aligned = { checkpoint_type: 'CHECKPOINT', is_unaligned: false, persisted_data: 0, processed_data: 0, state_size: 2_048, num_subtasks: 5 };
  t.deepEqual(pick(latestEntry({ ...LATEST, unaligned: false, inFlightBytes: 0 })), aligned);
  t.deepEqual(pick(latestEntry(LATEST)), aligned, 'metadata from before Weir recorded it');
  t.deepEqual(pick(latestEntry({ ...LATEST, savepoint: true, unaligned: false, inFlightBytes: 0 })), { ...aligned, checkpoint_type: 'SAVEPOINT' });
});
