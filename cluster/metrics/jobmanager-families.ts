// The JobManager process's Prometheus families (Flink's JobManager and job metrics): read from the
// Dispatcher at scrape time, one snapshot shared by every family of the same scrape.
import { type ActorRef, ask } from '../../actors/index.ts';
import type { ClusterInfo, DispatcherMsg, JobDetails, JobDetailsReply, JobList, JobOverview } from '../../messages/dispatcher.ts';
import { JOB_STATUSES } from '../../messages/job-status.ts';
import type { MetricFamily, MetricSample } from './prometheus-families.ts';

/** How long the Dispatcher has to answer a scrape's questions. */
const ASK_TIMEOUT_MS = 3_000;
/** Families read within this long of each other share one snapshot (one scrape reads them all). */
const SNAPSHOT_TTL_MS = 500;

interface Snapshot {
  readonly cluster: ClusterInfo;
  readonly jobs: readonly JobOverview[];
  /** Details of the jobs not yet ended. */
  readonly details: readonly JobDetails[];
  readonly at: number;
}

export function jobManagerFamilies(dispatcher: ActorRef<DispatcherMsg>, now: () => number = Date.now): MetricFamily[] {
  let last: Promise<Snapshot> | null = null;
  let lastAt = -Infinity;
  const snapshot = (): Promise<Snapshot> => {
    if (last === null || now() - lastAt > SNAPSHOT_TTL_MS) {
      lastAt = now();
      last = read(dispatcher, now);
      // A failed read is not reused by the next scrape.
      last.catch(() => (lastAt = -Infinity));
    }
    return last;
  };
  const cluster = (name: string, help: string, value: (info: ClusterInfo) => number): MetricFamily => ({
    name,
    help,
    type: 'gauge',
    collect: async () => [{ labels: {}, value: value((await snapshot()).cluster) }],
  });
  const perJob = (name: string, help: string, type: 'counter' | 'gauge', value: (job: JobDetails, at: number) => number | undefined): MetricFamily => ({
    name,
    help,
    type,
    collect: async () => {
      const { details, at } = await snapshot();
      const samples: MetricSample[] = [];
      for (const job of details) {
        const figure = value(job, at);
        if (figure !== undefined) samples.push({ labels: { job_id: job.job.jobId, job_name: job.job.name }, value: figure });
      }
      return samples;
    },
  });
  return [
    cluster('weir_jobmanager_registered_taskmanagers', 'TaskManagers registered with the ResourceManager (numRegisteredTaskManagers).', (info) => info.taskManagers),
    cluster('weir_jobmanager_task_slots_total', 'Slots of every registered TaskManager (taskSlotsTotal).', (info) => info.slotsTotal),
    cluster('weir_jobmanager_task_slots_available', 'Slots not allocated to a job (taskSlotsAvailable).', (info) => info.slotsFree),
    {
      name: 'weir_jobmanager_jobs',
      help: 'Jobs the Dispatcher knows, by state (numRunningJobs and the others).',
      type: 'gauge',
      collect: async () => {
        const { jobs } = await snapshot();
        return JOB_STATUSES.map((state) => ({ labels: { state }, value: jobs.filter((job) => job.status === state).length }));
      },
    },
    perJob('weir_job_uptime_seconds', 'Time since the job started (uptime).', 'gauge', (job, at) => (at - job.job.startTime) / 1000),
    perJob('weir_job_restarts_total', 'Restarts since the job started (numRestarts).', 'counter', (job) => job.checkpoints?.restarts ?? 0),
    perJob('weir_job_checkpoints_completed_total', 'Completed checkpoints (numberOfCompletedCheckpoints).', 'counter', (job) => job.checkpoints?.completed),
    perJob('weir_job_checkpoints_failed_total', 'Failed checkpoints (numberOfFailedCheckpoints).', 'counter', (job) => job.checkpoints?.failed),
    perJob('weir_job_last_checkpoint_duration_seconds', 'Trigger to completion of the latest checkpoint (lastCheckpointDuration).', 'gauge', (job) => {
      const latest = job.checkpoints?.latest;
      return latest ? latest.durationMs / 1000 : undefined;
    }),
    perJob('weir_job_last_checkpoint_size_bytes', 'Bytes of the latest checkpoint (lastCheckpointSize).', 'gauge', (job) => job.checkpoints?.latest?.bytes),
  ];
}

async function read(dispatcher: ActorRef<DispatcherMsg>, now: () => number): Promise<Snapshot> {
  const [cluster, list] = await Promise.all([
    ask<DispatcherMsg, ClusterInfo>(dispatcher, (replyTo) => ({ type: 'RequestClusterInfo', replyTo }), ASK_TIMEOUT_MS),
    ask<DispatcherMsg, JobList>(dispatcher, (replyTo) => ({ type: 'ListJobs', replyTo }), ASK_TIMEOUT_MS),
  ]);
  const live = list.jobs.filter((job) => job.endTime === null);
  const replies = await Promise.all(
    live.map((job) => ask<DispatcherMsg, JobDetailsReply>(dispatcher, (replyTo) => ({ type: 'RequestJobDetails', jobId: job.jobId, replyTo }), ASK_TIMEOUT_MS)),
  );
  const details = replies.filter((reply): reply is JobDetails => reply.type === 'JobDetails');
  return { cluster, jobs: list.jobs, details, at: now() };
}
