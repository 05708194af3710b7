// The REST API's way to the Dispatcher: asks through its actor ref, as the remote client's, each
// bounded by a timeout (a silent cluster is a 504 naming the request, never a hanging HTTP request).
import { type ActorRef, ask } from '../../../actors/index.ts';
import type { ClusterInfo, DispatcherMsg, JobDetails, JobOverview } from '../../../messages/dispatcher.ts';
import type { JobId } from '../../../messages/ids.ts';
import type { SubtaskWatermarkReport } from '../../../messages/watermarks.ts';
import { notFound } from './errors.ts';

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

  /** Every subtask's watermarks now (empty once the job ended); 404 for an unknown job. */
  async watermarks(jobId: JobId): Promise<readonly SubtaskWatermarkReport[]> {
    const reply = await this.request('RequestJobWatermarks', (replyTo) => ({ type: 'RequestJobWatermarks', jobId, replyTo }));
    if (reply.type === 'JobNotFound') throw jobNotFound(jobId);
    return reply.subtasks;
  }

  /** Asks the Dispatcher to cancel; the reply says whether it took the request. */
  cancel(jobId: JobId): Promise<ReplyOf<'CancelJob'>> {
    return this.request('CancelJob', (replyTo) => ({ type: 'CancelJob', jobId, replyTo }));
  }

  private request<T extends DispatcherMsg['type']>(_type: T, makeRequest: (replyTo: ActorRef<ReplyOf<T>>) => RequestOf<T>): Promise<ReplyOf<T>> {
    return ask<DispatcherMsg, ReplyOf<T>>(this.dispatcher, makeRequest, this.timeoutMs);
  }
}

export const jobNotFound = (jobId: string): Error => notFound(`Job ${jobId} not found`);
