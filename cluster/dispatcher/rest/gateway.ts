// The REST API's way to the Dispatcher: asks through its actor ref, as the remote client's, each
// bounded by a timeout (a silent cluster is a 504 naming the request, never a hanging HTTP request).
import { type ActorRef, ask } from '../../../actors/index.ts';
import type { ClusterInfo, DispatcherMsg, JobDetails, JobOverview } from '../../../messages/dispatcher.ts';
import type { JobId } from '../../../messages/ids.ts';
import type { SubtaskMetricsReport, TaskManagerInfo } from '../../../messages/metrics.ts';
import type { SubtaskWatermarkReport } from '../../../messages/watermarks.ts';
import '../../../messages/metrics.ts'; // registers the metrics protocol's message types
import { WeirError } from '../../../messages/errors.ts';
import { RestError, notFound } from './errors.ts';

/** How long one request to the Dispatcher may take (a watermark request waits up to 3 s for TaskManagers). */
export const DEFAULT_ASK_TIMEOUT_MS = 5_000;

type RequestOf<T extends DispatcherMsg['type']> = Extract<DispatcherMsg, { type: T }>;
type ReplyOf<T extends DispatcherMsg['type']> = RequestOf<T> extends { readonly replyTo: ActorRef<infer Reply> } ? Reply : never;

export class DispatcherGateway {
  constructor(
    private readonly dispatcher: ActorRef<DispatcherMsg>,
    readonly timeoutMs: number = DEFAULT_ASK_TIMEOUT_MS,
  ) {}

  clusterInfo(): Promise<ClusterInfo> {
    return this.request('RequestClusterInfo', (replyTo) => ({ type: 'RequestClusterInfo', replyTo }));
  }

  async jobs(): Promise<readonly JobOverview[]> {
    return (await this.request('ListJobs', (replyTo) => ({ type: 'ListJobs', replyTo }))).jobs;
  }

  /** The job's details; a RestError 404 naming the id when the Dispatcher knows no such job. */
  async job(jobId: JobId): Promise<JobDetails> {
    const reply = await this.request('RequestJobDetails', (replyTo) => ({ type: 'RequestJobDetails', jobId, replyTo }));
    if (reply.type === 'JobNotFound') throw jobNotFound(jobId);
    return reply;
  }

  /** Every subtask's metrics now (an ended job's final ones), vertices in graph order; 404 for an unknown job. */
  async jobMetrics(jobId: JobId): Promise<readonly SubtaskMetricsReport[]> {
    const reply = await this.request('RequestJobMetrics', (replyTo) => ({ type: 'RequestJobMetrics', jobId, replyTo }));
    if (reply.type === 'JobNotFound') throw jobNotFound(jobId);
    return reply.subtasks;
  }

  /** Every running subtask's event time: per input and channel (RequestJobWatermarks); 404 for an unknown job. */
  async jobWatermarks(jobId: JobId): Promise<readonly SubtaskWatermarkReport[]> {
    const reply = await this.request('RequestJobWatermarks', (replyTo) => ({ type: 'RequestJobWatermarks', jobId, replyTo }));
    if (reply.type === 'JobNotFound') throw jobNotFound(jobId);
    return reply.subtasks;
  }

  async taskManagers(): Promise<readonly TaskManagerInfo[]> {
    return (await this.request('RequestTaskManagers', (replyTo) => ({ type: 'RequestTaskManagers', replyTo }))).taskManagers;
  }

  /** One TaskManager; 404 naming the id when the ResourceManager knows none such. */
  async taskManager(taskManagerId: string): Promise<TaskManagerInfo> {
    const reply = await this.request('RequestTaskManagerDetails', (replyTo) => ({ type: 'RequestTaskManagerDetails', taskManagerId, replyTo }));
    if (reply.type === 'TaskManagerNotFound') throw notFound(`TaskManager ${taskManagerId} not found`);
    return reply.taskManager;
  }

  /** Asks the Dispatcher to cancel; the reply says whether it took the request. */
  cancel(jobId: JobId): Promise<ReplyOf<'CancelJob'>> {
    return this.request('CancelJob', (replyTo) => ({ type: 'CancelJob', jobId, replyTo }));
  }

  /** Asks; no answer in time is a 504 naming the request (other failures go to toRestError). */
  private async request<T extends DispatcherMsg['type']>(type: T, makeRequest: (replyTo: ActorRef<ReplyOf<T>>) => RequestOf<T>): Promise<ReplyOf<T>> {
    try {
      return await ask<DispatcherMsg, ReplyOf<T>>(this.dispatcher, makeRequest, this.timeoutMs);
    } catch (error) {
      if (error instanceof WeirError && error.code === 'ASK_TIMEOUT') throw new RestError(504, [`the Dispatcher did not answer ${type} within ${this.timeoutMs} ms`]);
      throw error;
    }
  }
}

export const jobNotFound = (jobId: string): Error => notFound(`Job ${jobId} not found`);
