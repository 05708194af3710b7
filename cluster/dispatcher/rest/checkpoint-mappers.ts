// GET /jobs/:jobId/checkpoints in Flink's shape (CheckpointingStatistics) from the statistics a
// JobManager publishes: counts and the latest checkpoint or savepoint. Weir keeps no per-checkpoint
// history, so `history` holds the latest one only. An unaligned checkpoint (any subtask took it
// unaligned) is Flink's UNALIGNED_CHECKPOINT with its in-flight bytes as persisted_data; Weir does not
// count the bytes an alignment processed (processed_data 0). Metadata from before Weir recorded
// either reads as aligned with nothing persisted, as Flink shows a checkpoint without the figures.
import type { CheckpointStats, JobDetails, LatestCheckpoint } from '../../../messages/dispatcher.ts';

function completedCheckpoint(latest: LatestCheckpoint, subtasks: number): Record<string, unknown> {
  const unaligned = latest.unaligned === true;
  return {
    className: 'completed',
    id: latest.checkpointId,
    status: 'COMPLETED',
    is_savepoint: latest.savepoint,
    checkpoint_type: latest.savepoint ? 'SAVEPOINT' : unaligned ? 'UNALIGNED_CHECKPOINT' : 'CHECKPOINT',
    is_unaligned: unaligned,
    trigger_timestamp: latest.completedAt - latest.durationMs,
    latest_ack_timestamp: latest.completedAt,
    state_size: latest.bytes,
    checkpointed_size: latest.bytes,
    end_to_end_duration: latest.durationMs,
    alignment_buffered: 0,
    processed_data: 0,
    persisted_data: latest.inFlightBytes ?? 0,
    // A completed checkpoint has every subtask's acknowledgement.
    num_subtasks: subtasks,
    num_acknowledged_subtasks: subtasks,
    tasks: {},
    external_path: latest.path,
    discarded: false,
  };
}

export function checkpointingStatistics(details: JobDetails, stats: CheckpointStats): Record<string, unknown> {
  const subtasks = details.vertices.reduce((sum, vertex) => sum + vertex.parallelism, 0);
  const latest = stats.latest ? completedCheckpoint(stats.latest, subtasks) : null;
  return {
    counts: {
      // Flink counts restores from a checkpoint; Weir counts restarts (from a checkpoint or from the beginning).
      restored: stats.restarts,
      total: stats.completed + stats.failed,
      in_progress: 0,
      completed: stats.completed,
      failed: stats.failed,
    },
    latest: {
      completed: stats.latest && !stats.latest.savepoint ? latest : null,
      savepoint: stats.latest?.savepoint ? latest : null,
      failed: null,
      restored: null,
    },
    history: latest ? [latest] : [],
  };
}
