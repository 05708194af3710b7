// What the JobManager tells the Dispatcher about its job (JobUpdated) after every change: the status,
// each subtask's execution, the checkpoint statistics, the wait for slots, the cause of a failure or a
// restart, and with the terminal status each subtask's last metrics. The Dispatcher serves weir info,
// the REST API and the console from these; the JobManager's state stays its own.
import type { ActorRef } from '../../actors/index.ts';
import type { JobId } from '../../messages/ids.ts';
import type { ErrorInfo, JobStatus } from '../../messages/job-status.ts';
import type { SubtaskMetricsReport } from '../../messages/metrics.ts';
import type { JobUpdated } from './events.ts';
import type { ExecutionGraph } from './execution-graph.ts';
import type { JobCheckpoints } from './job-checkpoints.ts';
import type { SlotWaitReport } from './slot-wait.ts';

/** The JobManager's lifecycle, read at each publication. */
export interface PublishedJob {
  readonly jobId: JobId;
  status(): JobStatus;
  /** The job's failure, or the failure it restarts from. */
  cause(): ErrorInfo | undefined;
  /** Restarts so far. */
  restarts(): number;
}

export class JobDetails {
  constructor(
    private readonly events: ActorRef<JobUpdated>,
    private readonly job: PublishedJob,
    private readonly executions: ExecutionGraph,
    private readonly slotWait: SlotWaitReport,
    private readonly checkpoints: JobCheckpoints | undefined,
  ) {}

  /** `finalMetrics`: with the terminal status, every subtask's last figures for the Dispatcher to keep. */
  publish(finalMetrics?: readonly SubtaskMetricsReport[]): void {
    const status = this.job.status();
    const checkpoints = this.checkpoints?.stats(this.job.restarts());
    if (status !== 'CREATED' && status !== 'RESTARTING') this.slotWait.end();
    const waitingForSlots = this.slotWait.current;
    this.events.tell({
      type: 'JobUpdated',
      jobId: this.job.jobId,
      status,
      vertices: this.executions.details(),
      ...(checkpoints ? { checkpoints } : {}),
      ...(finalMetrics ? { finalMetrics } : {}),
      ...(waitingForSlots ? { waitingForSlots } : {}),
      // RESTARTING too: the Dispatcher keeps each restart's cause in the job's exception history.
      ...(status === 'FAILED' || status === 'FAILING' || status === 'RESTARTING' ? { error: this.job.cause() } : {}),
    });
  }
}
