// The JobManager's side of a TaskManager's heartbeat: the report lists the job's executions there,
// and each side repairs what a lost message left wrong. A final state that never came is taken from
// the report, a CancelTask lost while the job winds down is sent again, and a task the TaskManager
// no longer has (missing from MISSING_REPORTS_TO_FAIL reports in a row) fails. The answer lists what
// this JobManager holds there, for the TaskManager to repair its side. Runs on the JobManager's turn.
import type { AllocationId, JobId, ResourceId } from '../../messages/ids.ts';
import type { TaskManagerHeartbeat } from '../../messages/job-manager.ts';
import { type ErrorInfo, type ExecutionState, isTerminalExecutionState } from '../../messages/job-status.ts';
import type { Execution } from './execution-graph.ts';

/** Heartbeats in a row from a TaskManager without a task deployed there before that task fails as lost. */
export const MISSING_REPORTS_TO_FAIL = 2;

/** Execution states in the order a task goes through them: a report never takes one back. */
const STATE_ORDER: readonly ExecutionState[] = ['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'CANCELING'];

/** What the JobManager tells this about the job, and what it does with what the report says. */
export interface ReconciledJob {
  readonly jobId: JobId;
  /** The current executions placed on that TaskManager. */
  executionsOn(resourceId: ResourceId): readonly Execution[];
  /** The slots the job holds there. */
  allocationsOn(resourceId: ResourceId): AllocationId[];
  /** FAILING, CANCELLING or RESTARTING: a task still running should be cancelled. */
  windingDown(): boolean;
  /** A state newer than the known one was reported; false once the job ended. */
  applyState(execution: Execution, state: ExecutionState, error: ErrorInfo | undefined): boolean;
  /** The TaskManager no longer has the task: it fails; false once the job ended. */
  taskFailed(execution: Execution, error: ErrorInfo): boolean;
}

export class HeartbeatReconciliation {
  /** Per deployed execution, the heartbeats in a row from its TaskManager that did not report it. */
  private readonly missingReports = new Map<Execution, number>();

  constructor(private readonly job: ReconciledJob) {}

  /** Every execution runs again as a new attempt: the count starts over. */
  restarted(): void {
    this.missingReports.clear();
  }

  /**
   * Repairs the JobManager's view from the TaskManager's report, then tells it what is held there.
   * Returns false when a repair ended the job (the TaskManager is then told by its ReleaseJob).
   */
  reconcile(msg: TaskManagerHeartbeat): boolean {
    const reported = new Map(msg.executions.map((report) => [report.executionAttemptId, report]));
    for (const execution of this.job.executionsOn(msg.resourceId)) {
      if (isTerminalExecutionState(execution.state) || execution.state === 'CREATED') continue;
      const report = reported.get(execution.attemptId);
      if (!report) {
        const missing = (this.missingReports.get(execution) ?? 0) + 1;
        this.missingReports.set(execution, missing);
        if (missing >= MISSING_REPORTS_TO_FAIL) {
          if (!this.job.taskFailed(execution, { name: 'TaskLost', message: `TaskManager ${msg.resourceId} no longer has its task ${execution.attemptId}` })) return false;
        }
        continue;
      }
      this.missingReports.delete(execution);
      if (isTerminalExecutionState(report.state) || STATE_ORDER.indexOf(report.state) > STATE_ORDER.indexOf(execution.state)) {
        if (!this.job.applyState(execution, report.state, report.error)) return false;
      } else if (this.job.windingDown()) {
        // Still running while the job winds down or restarts: the CancelTask was lost, or is on its way.
        msg.taskManager.tell({ type: 'CancelTask', executionAttemptId: execution.attemptId });
      }
    }
    msg.taskManager.tell({
      type: 'JobManagerHeartbeat',
      jobId: this.job.jobId,
      allocations: this.job.allocationsOn(msg.resourceId),
      executions: this.job.executionsOn(msg.resourceId).filter((e) => e.state !== 'CREATED' && !isTerminalExecutionState(e.state)).map((e) => e.attemptId),
    });
    return true;
  }
}
