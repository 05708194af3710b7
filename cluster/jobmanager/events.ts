// What a JobManager tells the Dispatcher that started it (local, inside the JobManager process).
import type { CheckpointStats, SlotWait, VertexDetails } from '../../messages/dispatcher.ts';
import type { JobId } from '../../messages/ids.ts';
import type { SubtaskMetricsReport } from '../../messages/metrics.ts';
import type { ErrorInfo, JobStatus } from '../../messages/job-status.ts';

export interface JobUpdated {
  readonly type: 'JobUpdated';
  readonly jobId: JobId;
  readonly status: JobStatus;
  readonly vertices: readonly VertexDetails[];
  readonly error?: ErrorInfo;
  /** When the job checkpoints. */
  readonly checkpoints?: CheckpointStats;
  /** With the terminal status: every subtask's last figures, which the Dispatcher keeps for the ended job. */
  readonly finalMetrics?: readonly SubtaskMetricsReport[];
  /** While it waits for slots; absent otherwise. */
  readonly waitingForSlots?: SlotWait;
}
