// A source reader's RequestNextInputSplit, on the JobManager's turn: static splits come from the
// graph (SplitAssigner), an enumerated source's from its split enumerator, run here from the job's
// plan (loaded on first use, released when the job ends). An enumerator's answer comes back to the
// actor as EnumeratedSplit and is recorded for the subtask it goes to, so that a restart hands out
// again what its snapshot lacks; a job started from a savepoint skips the splits its restored
// readers already hold (RestoredSplits).
import type { ActorContext, ActorRef } from '../../actors/index.ts';
import type { Result } from '../../actors/context.ts';
import type { JobPlan } from '../../api/runtime/subtask.ts';
import { describeError } from '../../messages/errors.ts';
import type { JobMasterId } from '../../messages/ids.ts';
import type { NextInputSplit, RequestNextInputSplit } from '../../messages/job-manager.ts';
import type { ErrorInfo } from '../../messages/job-status.ts';
import type { CompletedCheckpoint } from '../checkpoint/storage.ts';
import type { Execution, ExecutionGraph } from './execution-graph.ts';
import type { JobManagerOptions } from './job-manager.ts';
import { RestoredSplits } from './savepoint-restore.ts';
import type { SplitAssigner } from './split-assigner.ts';
import { type EnumeratedSplit, SplitEnumerators } from './split-enumerators.ts';

export interface EnumeratedSplitInternal {
  readonly type: 'EnumeratedSplit';
  readonly result: Result<EnumeratedSplit>;
  readonly execution: Execution;
  readonly replyTo: ActorRef<NextInputSplit>;
}

/** What the split enumerators of a job are loaded from; requests from another deployment's attempts (another fencing token) get no split. */
export type SplitSourceJob = Pick<JobManagerOptions, 'jobId' | 'graph' | 'bundle' | 'bundleHash' | 'args' | 'planParallelism' | 'jobCode' | 'splitPollMs'> & {
  readonly jobMasterId: JobMasterId;
};

export class SplitRequests {
  private readonly enumerators: SplitEnumerators;
  /** Started from a savepoint: the splits its restored readers already have. */
  private restoredSplits: RestoredSplits | undefined;

  constructor(
    private readonly context: ActorContext<EnumeratedSplitInternal>,
    private readonly job: SplitSourceJob,
    private readonly executions: ExecutionGraph,
    private readonly splits: SplitAssigner,
  ) {
    this.enumerators = new SplitEnumerators(() => this.loadPlan(), job.splitPollMs);
  }

  /** The job starts from `restored`: the splits its readers already hold are not handed out again. */
  restoredFrom(restored: CompletedCheckpoint): void {
    this.restoredSplits = new RestoredSplits(restored, this.job.graph, this.splits);
  }

  /** Static splits from the graph, or the answer of the vertex's enumerator (which may take a while). */
  next(msg: RequestNextInputSplit): void {
    const execution = msg.jobMasterId === this.job.jobMasterId ? this.executions.get(msg.executionAttemptId) : undefined;
    if (!execution?.vertex.enumeratedSplits) {
      msg.replyTo.tell({ type: 'NextInputSplit', split: execution ? this.splits.next(execution.vertex.id, execution.subtaskIndex) : null });
      return;
    }
    const returned = this.splits.next(execution.vertex.id, execution.subtaskIndex);
    if (returned) {
      msg.replyTo.tell({ type: 'NextInputSplit', split: returned });
      return;
    }
    const answer = this.enumerators.next(execution.vertex, execution.subtaskIndex);
    this.context.pipeToSelf(answer, (result) => ({ type: 'EnumeratedSplit', result, execution, replyTo: msg.replyTo }));
  }

  /** An enumerator's answer, passed on to the reader; its failure is returned, to fail the job. */
  onEnumerated(msg: EnumeratedSplitInternal): ErrorInfo | undefined {
    if (!msg.result.ok) return { name: 'SplitEnumeratorFailed', message: describeError(msg.result.error) };
    const split = msg.result.value;
    const { vertex, subtaskIndex, attemptId } = msg.execution;
    if (split !== null && split !== 'retry' && this.restoredSplits?.take(vertex.id, split.payload) === true) {
      // A restored reader already has this one (the job started from a savepoint): ask again.
      const answer = this.enumerators.next(vertex, subtaskIndex);
      this.context.pipeToSelf(answer, (result) => ({ type: 'EnumeratedSplit', result, execution: msg.execution, replyTo: msg.replyTo }));
      return undefined;
    }
    if (split !== null && split !== 'retry') {
      // Recorded for the subtask it goes to (a restart gives back what its snapshot lacks); an
      // answer for an attempt a restart replaced goes back at once, for the next request.
      if (this.executions.get(attemptId) === msg.execution) this.splits.record(vertex.id, subtaskIndex, split);
      else this.splits.giveBack(vertex.id, split);
    }
    msg.replyTo.tell(split === 'retry' ? { type: 'NextInputSplit', split: null, retry: true } : { type: 'NextInputSplit', split });
    return undefined;
  }

  /** The job ended: its enumerators close (a failure is logged) and its code is released. */
  jobEnded(): void {
    const { jobId, jobCode } = this.job;
    const log = this.context.log;
    const { enumerators } = this;
    if (enumerators.loaded) {
      void enumerators.close().then((failures) => {
        for (const failure of failures) log.warn(`job ${jobId}: ${failure}`);
        jobCode?.release(jobId);
      });
    }
  }

  private loadPlan(): Promise<JobPlan> {
    const { jobCode, jobId, bundleHash, bundle, args, planParallelism } = this.job;
    if (!jobCode) return Promise.reject(new Error(`this JobManager cannot run the split enumerators of job ${jobId}: it was started without a job code loader`));
    return jobCode.load({ jobId, bundleHash, args, ...(planParallelism !== undefined ? { planParallelism } : {}), fetchBundle: () => Promise.resolve(bundle) });
  }
}
