// weir list, info and cancel: one request to the Dispatcher each, printed for a person to read.
import type { JobDetails, JobOverview } from '../../messages/dispatcher.ts';
import type { ConnectArgs, JobArgs } from './args.ts';
import { connectClient } from './connect.ts';

type Out = (line: string) => void;

export async function listCommand(args: ConnectArgs, out: Out): Promise<void> {
  const client = await connectClient(args);
  try {
    const jobs = await client.list();
    if (jobs.length === 0) out('No jobs.');
    else for (const line of jobTable(jobs)) out(line);
  } finally {
    await client.close();
  }
}

export async function infoCommand(args: JobArgs, out: Out): Promise<void> {
  const client = await connectClient(args);
  try {
    for (const line of describeJob(await client.info(args.jobId))) out(line);
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
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  return [header, ...rows].map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '));
}

function describeJob({ job, vertices }: JobDetails): string[] {
  const lines = [
    `Job "${job.name}" (${job.jobId})`,
    `  status:      ${job.status}`,
    `  parallelism: ${job.parallelism}`,
    `  started:     ${timeOf(job.startTime)}`,
    `  ended:       ${job.endTime === null ? '-' : timeOf(job.endTime)}`,
  ];
  if (job.error) lines.push(`  error:       ${job.error.message}`);
  lines.push('  vertices:');
  for (const vertex of vertices) lines.push(`    ${vertex.name} (${vertex.id}), parallelism ${vertex.parallelism}: ${vertex.subtasks.join(', ')}`);
  return lines;
}

function timeOf(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
