// The figures of this process (Flink's Status.JVM.*, in Node's terms): heap, RSS, event-loop delay
// (perf_hooks.monitorEventLoopDelay) and garbage collection time (a PerformanceObserver of 'gc'
// entries). One monitor per process, started at the first reading: the mini cluster's TaskManagers
// share the process and report the same figures; the JobManager's REST API reads its own.
import { type IntervalHistogram, PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { MeterView } from '../../api/runtime/metrics/meter-view.ts';
import type { TaskManagerMetrics } from '../../messages/metrics.ts';

/** The event-loop delay histogram's sampling period, ms: fine enough for p99 of a busy loop, cheap enough to leave on. */
export const EVENT_LOOP_RESOLUTION_MS = 10;

class ProcessMonitor {
  private readonly eventLoop: IntervalHistogram;
  private gcTimeMs = 0;
  private readonly gcRate = new MeterView();

  constructor() {
    this.eventLoop = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    this.eventLoop.enable();
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.gcTimeMs += entry.duration;
    });
    observer.observe({ entryTypes: ['gc'] });
    // Neither keeps the process alive: they only watch it.
    this.gcRate.sample(0, performance.now());
  }

  get gcTimeMsTotal(): number {
    return this.gcTimeMs;
  }

  /** The figures now; the event-loop delay percentiles are over the time since the previous reading. */
  read(): TaskManagerMetrics {
    const memory = process.memoryUsage();
    const now = performance.now();
    const p50 = this.eventLoop.count > 0 ? this.eventLoop.percentile(50) / 1e6 : 0;
    const p99 = this.eventLoop.count > 0 ? this.eventLoop.percentile(99) / 1e6 : 0;
    this.eventLoop.reset();
    return {
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      rssBytes: memory.rss,
      eventLoopDelayP50Ms: p50,
      eventLoopDelayP99Ms: p99,
      gcTimeMsTotal: this.gcTimeMs,
      gcTimeMsPerSecond: this.gcRate.rate(this.gcTimeMs, now),
      uptimeMs: process.uptime() * 1000,
    };
  }
}

let monitor: ProcessMonitor | undefined;

/** This process's figures now (the monitor starts at the first call). */
export function readProcessMetrics(): TaskManagerMetrics {
  monitor ??= new ProcessMonitor();
  return monitor.read();
}

/** This process's memory and GC time, without touching the event-loop histogram (a TaskManager's reading resets it). */
export interface ProcessStatus {
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  /** V8's heap limit (--max-old-space-size, or its default). */
  readonly heapMaxBytes: number;
  /** Memory of JavaScript objects held outside the heap (Buffers' backing stores and the like). */
  readonly externalBytes: number;
  readonly rssBytes: number;
  readonly gcTimeMsTotal: number;
  readonly uptimeMs: number;
}

export function readProcessStatus(): ProcessStatus {
  monitor ??= new ProcessMonitor();
  const memory = process.memoryUsage();
  return {
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    heapMaxBytes: getHeapStatistics().heap_size_limit,
    externalBytes: memory.external,
    rssBytes: memory.rss,
    gcTimeMsTotal: monitor.gcTimeMsTotal,
    uptimeMs: process.uptime() * 1000,
  };
}
