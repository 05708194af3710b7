// The final states of a TaskManager's tasks that are gone, kept for their jobs' heartbeats until
// the JobManager stops listing the execution: an UpdateTaskExecutionState lost on the way is
// repaired by the next report. Bounded by the job's executions here; a released job's go with it.
import type { ExecutionAttemptId, JobId } from '../../messages/ids.ts';
import type { ExecutionReport } from '../../messages/job-manager.ts';

interface FinalState extends ExecutionReport {
  readonly jobId: JobId;
}

export class FinalStates {
  private readonly finals = new Map<ExecutionAttemptId, FinalState>();

  keep(jobId: JobId, report: ExecutionReport): void {
    this.finals.set(report.executionAttemptId, { jobId, ...report });
  }

  ofJob(jobId: JobId): ExecutionReport[] {
    const reports: ExecutionReport[] = [];
    for (const { jobId: owner, executionAttemptId, state, error } of this.finals.values()) {
      if (owner === jobId) reports.push({ executionAttemptId, state, ...(error ? { error } : {}) });
    }
    return reports;
  }

  hasJob(jobId: JobId): boolean {
    for (const final of this.finals.values()) if (final.jobId === jobId) return true;
    return false;
  }

  /** The JobManager no longer lists them: it has their final states. */
  acknowledge(jobId: JobId, listed: ReadonlySet<ExecutionAttemptId>): void {
    for (const [executionAttemptId, final] of this.finals) if (final.jobId === jobId && !listed.has(executionAttemptId)) this.finals.delete(executionAttemptId);
  }

  forgetJob(jobId: JobId): void {
    for (const [executionAttemptId, final] of this.finals) if (final.jobId === jobId) this.finals.delete(executionAttemptId);
  }
}
