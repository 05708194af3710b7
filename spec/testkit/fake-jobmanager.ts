// A JobManager stand-in for client and CLI specs: a listening system named "jobmanager" whose
// Dispatcher knows one running job ("job-1"), cancels only that one, and rejects every submission
// (startAcceptingJobManager: accepts them, records them, and runs them forever or finishes them).
import type { ExecutionContext } from 'ava';
import { createServer } from 'node:net';
import { ActorSystem, Behaviors } from '../../actors/index.ts';
import type { ClusterInfo, DispatcherMsg, JobOverview, SubmitJob } from '../../messages/dispatcher.ts';
import '../../messages/dispatcher.ts'; // registers the protocol's types, or the remoting refuses them
import { type JobId, jobId } from '../../messages/ids.ts';
import { jobStatusChanged } from '../../messages/job-status.ts';

export const KNOWN_JOB: JobOverview = { jobId: jobId('job-1'), name: 'word count', status: 'RUNNING', startTime: 1_000, endTime: null, parallelism: 2 };
export const CLUSTER_INFO: ClusterInfo = { type: 'ClusterInfo', taskManagers: 2, slotsTotal: 4, slotsFree: 2, runningJobs: 1 };

/** What an accepting fake saw: each submission, and each job it was asked to cancel. */
export interface FakeJobManagerLog {
  readonly submitted: SubmitJob[];
  readonly cancelled: JobId[];
}

export interface FakeOptions {
  /** Accept submissions; 'run' keeps the job RUNNING, 'finish' reports it FINISHED at once. */
  readonly accept?: 'run' | 'finish';
  readonly log?: FakeJobManagerLog;
  /** What ListJobs answers; default [KNOWN_JOB]. */
  readonly listed?: readonly JobOverview[];
}

const fakeDispatcher = ({ accept, log, listed = [KNOWN_JOB] }: FakeOptions = {}) => Behaviors.receiveMessage<DispatcherMsg>((msg) => {
  switch (msg.type) {
    case 'RequestClusterInfo':
      msg.replyTo.tell(CLUSTER_INFO);
      break;
    case 'ListJobs':
      msg.replyTo.tell({ type: 'JobList', jobs: [...listed] });
      break;
    case 'RequestJobDetails':
      msg.replyTo.tell(msg.jobId === KNOWN_JOB.jobId ? { type: 'JobDetails', job: KNOWN_JOB, vertices: [] } : { type: 'JobNotFound', jobId: msg.jobId });
      break;
    case 'CancelJob':
      log?.cancelled.push(msg.jobId);
      msg.replyTo.tell(
        msg.jobId === KNOWN_JOB.jobId ? { type: 'CancellationSuccess', jobId: msg.jobId } : { type: 'CancellationFailure', jobId: msg.jobId, reason: 'no such job' },
      );
      break;
    case 'SubmitJob':
      log?.submitted.push(msg);
      if (accept) {
        msg.replyTo.tell({ type: 'JobSubmitted', jobId: msg.jobId });
        break;
      }
      msg.replyTo.tell({ type: 'JobRejected', jobId: msg.jobId, reason: `the fake JobManager runs no jobs (got "${msg.jobGraph.name}", ${msg.jobGraph.vertices.length} vertices, -p ${msg.planParallelism ?? 'none'})` });
      break;
    case 'RequestJobWatermarks':
      msg.replyTo.tell(msg.jobId === KNOWN_JOB.jobId ? { type: 'JobWatermarks', jobId: msg.jobId, subtasks: [] } : { type: 'JobNotFound', jobId: msg.jobId });
      break;
    case 'TriggerSavepoint':
      msg.replyTo.tell({ type: 'JobNotFound', jobId: msg.jobId });
      break;
    case 'WatchTaskManagers':
      msg.watcher.tell({ type: 'TaskManagersChanged', addresses: [] });
      break;
    case 'RequestJobMetrics':
      msg.replyTo.tell(msg.jobId === KNOWN_JOB.jobId ? { type: 'JobMetrics', jobId: msg.jobId, subtasks: [] } : { type: 'JobNotFound', jobId: msg.jobId });
      break;
    case 'RequestTaskManagers':
      msg.replyTo.tell({ type: 'TaskManagerList', taskManagers: [] });
      break;
    case 'RequestTaskManagerDetails':
      msg.replyTo.tell({ type: 'TaskManagerNotFound', taskManagerId: msg.taskManagerId });
      break;
    case 'SubscribeJobStatus':
      if (!accept || msg.jobId === KNOWN_JOB.jobId) break;
      msg.subscriber.tell(jobStatusChanged(msg.jobId, 'submitted job', 'RUNNING'));
      if (accept === 'finish') msg.subscriber.tell(jobStatusChanged(msg.jobId, 'submitted job', 'FINISHED'));
      break;
    default: {
      const unknown: never = msg;
      return unknown;
    }
  }
  return Behaviors.same;
});

/** Starts the fake on a free loopback port, terminated with the test; returns its host:port. */
export async function startFakeJobManager(t: ExecutionContext, options: FakeOptions = {}): Promise<string> {
  const system = await ActorSystem.create({ name: 'jobmanager', remote: { port: 0 }, log: { level: 'off' } });
  t.teardown(() => system.terminate());
  system.spawn(fakeDispatcher(options), 'dispatcher');
  const port = /:(\d+)$/.exec(system.address)?.[1];
  return `127.0.0.1:${port}`;
}

/** A fake that accepts every submission: its host:port and what it saw. */
export async function startAcceptingJobManager(t: ExecutionContext, accept: 'run' | 'finish'): Promise<{ readonly address: string; readonly log: FakeJobManagerLog }> {
  const log: FakeJobManagerLog = { submitted: [], cancelled: [] };
  return { address: await startFakeJobManager(t, { accept, log }), log };
}

/** A loopback port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
