// weir list, info and cancel: a request to the Dispatcher each (list: the jobs and the slots; info:
// three, details, metrics and watermarks),
// printed for a person to read.
import type { CheckpointStats, JobDetails, JobOverview } from '../../messages/dispatcher.ts';
import { type JobStatus, isTerminalJobStatus } from '../../messages/job-status.ts';
import type { JobArgs, JobGroup, ListArgs } from './args.ts';
import { columns } from './columns.ts';
import { connectClient } from './connect.ts';
import { describeSlotWait } from './slot-wait.ts';
import { describeWatermarks } from './watermark-table.ts';
import { describeMetrics, describeSlots } from './metrics-table.ts';

type Out = (line: string) => void;

/** Flink's list: running and scheduled jobs, or the groups -r, -s and -a pick; one table. */
export async function listCommand(args: ListArgs, out: Out): Promise<void> {
  const client = await connectClient(args);
  try {
    const [listed, cluster] = await Promise.all([client.list(), client.clusterInfo()]);
    const jobs = listed.filter((job) => args.show.has(groupOf(job.status)));
    if (jobs.length === 0) out(`No ${describeGroups(args.show)}.`);
    else for (const line of jobTable(jobs)) out(line);
    out(describeSlots(cluster));
  } finally {
    await client.close();
  }
}

function groupOf(status: JobStatus): JobGroup {
  if (status === 'CREATED' || status === 'INITIALIZING') return 'scheduled';
  return isTerminalJobStatus(status) ? 'terminated' : 'running';
}

/** "running or scheduled jobs", "jobs" for all of them. */
function describeGroups(show: ReadonlySet<JobGroup>): string {
  if (show.size === 3) return 'jobs';
  const names = (['running', 'scheduled', 'terminated'] as const).filter((group) => show.has(group));
  return `${names.join(' or ')} jobs`;
}

export async function infoCommand(args: JobArgs, out: Out): Promise<void> {
  const client = await connectClient(args);
  try {
    const info = await client.info(args.jobId);
    for (const line of describeJob(info)) out(line);
    for (const line of describeMetrics(info.vertices, info.metrics)) out(line);
    for (const line of describeWatermarks(info.vertices, info.watermarks)) out(line);
  } finally {
    await client.close();
  }
}

export async function cancelCommand(args: JobArgs, out: Out): Promise<void> {
  const client = await connectClient(args);
  try {
    await client.cancel(args.jobId);
    out(`Cancelled job ${args.jobId}.`);
  } finally {
    await client.close();
  }
}

/** Newest first, as Flink's list; columns padded to their widest cell. */
function jobTable(jobs: readonly JobOverview[]): string[] {
  const header = ['JOB ID', 'STATUS', 'PARALLELISM', 'STARTED', 'NAME'];
  const rows = [...jobs]
    .sort((a, b) => b.startTime - a.startTime)
    .map((job) => [job.jobId, job.status, String(job.parallelism), timeOf(job.startTime), job.name]);
  return columns([header, ...rows]);
}

/** `checkpoints: 3 completed, 1 failed, 0 restarts` and the latest one's id, time, size, duration, path, and in-flight bytes when unaligned. */
export function describeCheckpoints({ completed, failed, restarts, latest }: CheckpointStats): string[] {
  const lines = [`  checkpoints: ${completed} completed, ${failed} failed, ${restarts} restart${restarts === 1 ? '' : 's'}`];
  if (latest) {
    const what = latest.savepoint ? 'savepoint' : 'checkpoint';
    // Aligned is the usual case and says nothing; an unaligned one says what in-flight data it persisted.
    const alignment = latest.unaligned === true ? `, unaligned: ${latest.inFlightBytes ?? 0} bytes in flight` : '';
    lines.push(`  latest:      ${what} ${latest.checkpointId} at ${timeOf(latest.completedAt)} (${latest.bytes} bytes in ${latest.durationMs} ms${alignment}) ${latest.path}`);
  }
  return lines;
}

function describeJob({ job, vertices, checkpoints, waitingForSlots }: JobDetails): string[] {
  const lines = [
    `Job "${job.name}" (${job.jobId})`,
    `  status:      ${job.status}`,
    `  parallelism: ${job.parallelism}`,
    `  started:     ${timeOf(job.startTime)}`,
    `  ended:       ${job.endTime === null ? '-' : timeOf(job.endTime)}`,
  ];
  if (job.error) lines.push(`  error:       ${job.error.message}`);
  if (waitingForSlots) lines.push(`  waiting:     for slots: ${describeSlotWait(waitingForSlots, Date.now())}`);
  if (checkpoints) lines.push(...describeCheckpoints(checkpoints));
  lines.push('  vertices:');
  for (const vertex of vertices) lines.push(`    ${vertex.name} (${vertex.id}), parallelism ${vertex.parallelism}: ${vertex.subtasks.join(', ')}`);
  return lines;
}

function timeOf(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
