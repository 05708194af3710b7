// A client's request for the job's watermarks or metrics (weir info, the REST API), on the
// JobManager's turn: the readings are gathered from the TaskManagers (watermarks.ts, metrics.ts) and
// come back as a message to the actor, which answers from them. The requests still waiting are kept,
// so that a job ending first answers them too (no watermarks, each subtask's final metrics) rather
// than leaving the client to its timeout.
import type { ActorContext, ActorRef } from '../../actors/index.ts';
import type { JobMetricsReply, SubtaskMetricsReport, TaskMetricsReading } from '../../messages/metrics.ts';
import type { JobWatermarksReply } from '../../messages/dispatcher.ts';
import type { JobId } from '../../messages/ids.ts';
import type { TaskWatermarkReading } from '../../messages/watermarks.ts';
import type { Execution } from './execution-graph.ts';
import { gatherMetrics, metricsReports } from './metrics.ts';
import { gatherWatermarks, watermarkReports } from './watermarks.ts';

export type ReadingsInternal =
  | { readonly type: 'WatermarksGathered'; readonly readings: readonly TaskWatermarkReading[]; readonly replyTo: ActorRef<JobWatermarksReply> }
  | { readonly type: 'MetricsGathered'; readonly readings: readonly TaskMetricsReading[]; readonly replyTo: ActorRef<JobMetricsReply> };

export class ReadingRequests {
  /** Clients waiting for the job's watermarks. */
  private readonly watermarkRequests = new Set<ActorRef<JobWatermarksReply>>();
  /** Clients waiting for the job's metrics. */
  private readonly metricsRequests = new Set<ActorRef<JobMetricsReply>>();

  constructor(
    private readonly context: ActorContext<ReadingsInternal>,
    private readonly jobId: JobId,
    /** The current attempt of every subtask. */
    private readonly executions: () => readonly Execution[],
  ) {}

  /** Answered from WatermarksGathered, or by jobEnded if the job ends first. */
  requestWatermarks(replyTo: ActorRef<JobWatermarksReply>): void {
    this.watermarkRequests.add(replyTo);
    const gathered = gatherWatermarks(this.jobId, this.executions());
    this.context.pipeToSelf(gathered, (result) => ({ type: 'WatermarksGathered', readings: result.ok ? result.value : [], replyTo }));
  }

  /** Answered from MetricsGathered, or by jobEnded if the job ends first. */
  requestMetrics(replyTo: ActorRef<JobMetricsReply>): void {
    this.metricsRequests.add(replyTo);
    const gathered = gatherMetrics(this.jobId, this.executions());
    this.context.pipeToSelf(gathered, (result) => ({ type: 'MetricsGathered', readings: result.ok ? result.value : [], replyTo }));
  }

  onMessage(msg: ReadingsInternal): void {
    if (msg.type === 'MetricsGathered') {
      this.metricsRequests.delete(msg.replyTo);
      msg.replyTo.tell({ type: 'JobMetrics', jobId: this.jobId, subtasks: metricsReports(this.executions(), msg.readings) });
    } else {
      this.watermarkRequests.delete(msg.replyTo);
      msg.replyTo.tell({ type: 'JobWatermarks', jobId: this.jobId, subtasks: watermarkReports(this.executions(), msg.readings) });
    }
  }

  /** The job ended: every request still waiting is answered, metrics with each subtask's final figures. */
  jobEnded(finalMetrics: readonly SubtaskMetricsReport[]): void {
    for (const replyTo of this.watermarkRequests) replyTo.tell({ type: 'JobWatermarks', jobId: this.jobId, subtasks: [] });
    for (const replyTo of this.metricsRequests) replyTo.tell({ type: 'JobMetrics', jobId: this.jobId, subtasks: finalMetrics });
  }
}
