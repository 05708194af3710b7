// The package entry ('weir'): the DataStream API, the remote client and the embedded mini cluster,
// and the wiring between them. api/ reaches a cluster only through the JobExecutor seam
// (api/executor.ts); here the mini cluster and the remote client are made into executors, so that
// env.execute() runs embedded by default and on a standalone cluster when given its address.
//
// Job modules bundled for a cluster (api/client/bundle.ts) see this file as api/index.ts only: the
// wiring, the client and the cluster stay out of the bundle a TaskManager imports.
import { WeirClient } from './api/client/index.ts';
import { type JobExecutor, openLocalCollect, registerJobExecutorFactory } from './api/internal.ts';
import { MiniCluster } from './cluster/minicluster.ts';
import { WeirError } from './messages/errors.ts';

export * from './api/index.ts';
export { WeirClient, findHoldingBack, type HoldingBack, type JobInfo, type SubmitOptions, type WeirClientOptions } from './api/client/index.ts';
export { MiniCluster, type MiniClusterOptions, type MiniClusterSubmitOptions } from './cluster/minicluster.ts';
export { WeirError, type ErrorCode } from './messages/errors.ts';
export type { SubtaskMetrics, SubtaskMetricsReport, TaskManagerInfo, TaskManagerMetrics, UserMetric } from './messages/metrics.ts';

/** Slots of the embedded mini cluster's TaskManager, unless the job needs more. */
const EMBEDDED_MIN_SLOTS = 4;

/**
 * A mini cluster started for one execution, and closed with it. It logs errors only, unless
 * WEIR_LOG_LEVEL says otherwise: a failed job reaches the program as execute()'s rejection.
 */
async function embeddedExecutor(slots: number): Promise<JobExecutor> {
  const log = process.env.WEIR_LOG_LEVEL ? {} : { level: 'error' as const };
  const cluster = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: Math.max(EMBEDDED_MIN_SLOTS, slots), log });
  return {
    // The module adopts the environment's own graph; collect sinks carry their target already.
    submit: (job) => cluster.submit(job.module, { args: job.args, jobName: job.jobName, ...(job.parallelism === undefined ? {} : { parallelism: job.parallelism }) }),
    openCollect: () => Promise.resolve(openLocalCollect()),
    close: () => cluster.close(),
  };
}

/** A client connected to the JobManager at `address` for one execution. */
async function remoteExecutor(address: string): Promise<JobExecutor> {
  const client = await WeirClient.connect(address);
  return {
    submit: (job) => {
      if (job.modulePath === undefined) {
        return Promise.reject(
          new WeirError('INVALID_JOB_MODULE', `job "${job.jobName}" cannot run on the cluster at ${address}: there is no job module file to ship (give the environment a jobModule)`),
        );
      }
      return client.submit(job.modulePath, {
        args: job.args,
        jobName: job.jobName,
        ...(job.parallelism === undefined ? {} : { parallelism: job.parallelism }),
        ...(job.collect ? { collect: job.collect } : {}),
      });
    },
    openCollect: () => Promise.resolve(client.openCollect()),
    close: () => client.close(),
  };
}

registerJobExecutorFactory((target) => (target.kind === 'embedded' ? embeddedExecutor(target.slots) : remoteExecutor(target.address)));
