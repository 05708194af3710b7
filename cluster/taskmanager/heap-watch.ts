// taskmanager.memory.heap.size: a TaskManager runs with node's --max-old-space-size and watches its
// heap, so that a job that allocates without bound fails alone instead of V8 killing the process and
// every job on it; taskmanager.memory.process.size does the same for the whole process (its resident
// set: the heap, Buffers and other memory off the heap, code), which no V8 limit bounds. V8 cannot say
// which code holds memory; what it can say is how much the heap and its external memory (Buffers'
// backing stores) grew while each task step ran. Each job's growth is summed (steps that collected
// garbage count negative) and decays by half every DECAY_MS, so the sum follows what a job kept lately,
// not what it allocated and freed. When the heap or the resident set passes PRESSURE_RATIO of its
// limit, the job with the largest sum fails on this TaskManager (its tasks get FailTask naming the
// limit); the next decision waits COOLDOWN_MS, for the freed memory to be collected.
import { getHeapStatistics } from 'node:v8';
import type { JobId } from '../../messages/ids.ts';

/** The share of the heap limit past which a job is failed. */
export const PRESSURE_RATIO = 0.85;
/** How often the heap is read. */
export const CHECK_INTERVAL_MS = 100;
/** Each job's growth halves this often: recent growth weighs most. */
export const DECAY_MS = 10_000;
/** After a job is failed, how long before another may be (its heap must be collected first). */
export const COOLDOWN_MS = 5_000;

export interface HeapPressure {
  readonly jobId: JobId;
  /** What the job's tasks fail with. */
  readonly reason: string;
}

/** The memory now: the heap used and its limit (node's --max-old-space-size plus V8's young generation), the resident set. */
export interface HeapReading {
  readonly usedBytes: number;
  readonly limitBytes: number;
  readonly rssBytes: number;
}

/** What is watched: either limit may be absent (MiB, as configured). */
export interface MemoryLimits {
  /** taskmanager.memory.heap.size */
  readonly heapMb?: number;
  /** taskmanager.memory.process.size */
  readonly processMb?: number;
}

const readMemory = (): HeapReading => {
  const stats = getHeapStatistics();
  return { usedBytes: stats.used_heap_size, limitBytes: stats.heap_size_limit, rssBytes: process.memoryUsage.rss() };
};

/** What a task step reads before and after it ran: the bytes on the heap and held outside it by the heap's objects (Buffers). */
export function memoryUsedBytes(): number {
  const stats = getHeapStatistics();
  return stats.used_heap_size + stats.external_memory;
}

const MB = 1024 * 1024;
const mb = (bytes: number): string => `${Math.round(bytes / MB)} MB`;

export class HeapWatch {
  /** Per job, the heap growth of its steps, decayed. */
  private readonly growth = new Map<JobId, number>();
  private timer: NodeJS.Timeout | undefined;
  private lastDecay: number;
  private quietUntil = 0;
  /** Jobs failed for the heap: for metrics and specs. */
  failed = 0;

  constructor(
    private readonly limits: MemoryLimits,
    private readonly onPressure: (pressure: HeapPressure) => void,
    private readonly read: () => HeapReading = readMemory,
    private readonly now: () => number = Date.now,
  ) {
    this.lastDecay = now();
  }

  start(): void {
    this.timer ??= setInterval(() => this.check(), CHECK_INTERVAL_MS).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A step of `jobId`'s task changed the heap by `bytes` (negative when a collection ran during it). */
  record(jobId: JobId, bytes: number): void {
    this.decay(this.now());
    this.growth.set(jobId, (this.growth.get(jobId) ?? 0) + bytes);
  }

  /** A job is gone from this TaskManager: it is no candidate any more. */
  forget(jobId: JobId): void {
    this.growth.delete(jobId);
  }

  /** Halves every job's growth once per DECAY_MS that passed. */
  private decay(now: number): void {
    while (now - this.lastDecay >= DECAY_MS) {
      for (const [jobId, bytes] of this.growth) this.growth.set(jobId, bytes / 2);
      this.lastDecay += DECAY_MS;
    }
  }

  /** Reads the heap; under pressure, names the job that grew it most (once per cooldown). */
  check(): HeapPressure | undefined {
    const now = this.now();
    this.decay(now);
    if (now < this.quietUntil) return undefined;
    const over = this.overLimit(this.read());
    if (over === undefined) return undefined;
    let worst: [JobId, number] | undefined;
    for (const entry of this.growth) if (!worst || entry[1] > worst[1]) worst = entry;
    if (!worst) return undefined;
    const [jobId, grown] = worst;
    this.failed++;
    this.quietUntil = now + COOLDOWN_MS;
    this.growth.delete(jobId);
    const pressure: HeapPressure = {
      jobId,
      reason: `the TaskManager's ${over}, and job ${jobId} grew it most (${mb(grown)} lately): its tasks here fail before the process runs out of memory`,
    };
    this.onPressure(pressure);
    return pressure;
  }

  /** Which limit the reading is near, in words, or undefined. */
  private overLimit(reading: HeapReading): string | undefined {
    const { heapMb, processMb } = this.limits;
    if (heapMb !== undefined) {
      // V8's heap_size_limit adds the young generation to --max-old-space-size; the old space, which
      // fills up, is bounded by the configured size.
      const limitBytes = Math.min(reading.limitBytes, heapMb * MB);
      if (reading.usedBytes >= PRESSURE_RATIO * limitBytes) return `heap is at ${mb(reading.usedBytes)} of its ${mb(limitBytes)} limit (taskmanager.memory.heap.size: ${heapMb} MB)`;
    }
    if (processMb !== undefined && reading.rssBytes >= PRESSURE_RATIO * processMb * MB) {
      return `memory (resident set, heap and off-heap) is at ${mb(reading.rssBytes)} of its ${processMb} MB limit (taskmanager.memory.process.size)`;
    }
    return undefined;
  }
}
