// Each process's memory as the cluster reports it, for the fuzz spec: the JobManager's heap from
// GET /jobmanager/metrics, each TaskManager's from its metrics (client.taskManagers()), and every
// process's resident set from /proc.
import { readFileSync } from 'node:fs';
import type { WeirClient } from '../../api/client/index.ts';

export interface MemoryFigures {
  /** "JobManager", then "TaskManager <id>" in id order. */
  readonly names: readonly string[];
  readonly heapUsed: readonly number[];
  /** Per pid, in the order given. */
  readonly rss: readonly number[];
}

/**
 * After the fuzzing a heap may hold this much more than before: garbage not yet collected, lazily
 * compiled code. A leak per frame or connection (thousands of each) would be far more.
 */
const HEAP_SLACK_BYTES = 40 * 1024 * 1024;

export function heapBound(before: number): number {
  return before + HEAP_SLACK_BYTES;
}

export async function memoryOf(restUrl: string, client: WeirClient, pids: readonly number[]): Promise<MemoryFigures> {
  const answer = await fetch(`${restUrl}/jobmanager/metrics?get=Status.JVM.Memory.Heap.Used`, { signal: AbortSignal.timeout(10_000) });
  const [{ value }] = (await answer.json()) as { value: string }[];
  const taskManagers = [...(await client.taskManagers())].sort((a, b) => a.id.localeCompare(b.id));
  const missing = taskManagers.find((info) => info.metrics === null);
  if (missing) throw new Error(`TaskManager ${missing.id} gave no metrics: ${missing.unavailable ?? 'no reason'}`);
  return {
    names: ['JobManager', ...taskManagers.map((info) => `TaskManager ${info.id}`)],
    heapUsed: [Number(value), ...taskManagers.map((info) => info.metrics?.heapUsedBytes ?? 0)],
    rss: pids.map(rssOf),
  };
}

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((text) => text.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}
