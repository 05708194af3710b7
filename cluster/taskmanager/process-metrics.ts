// The figures of this process (a TaskManager's Flink Status.JVM.*, in Node's terms): heap, RSS,
// event-loop delay (perf_hooks.monitorEventLoopDelay) and garbage collection time (a
// PerformanceObserver of 'gc' entries). One monitor per process, started at the first reading: the
// mini cluster's TaskManagers share the process and report the same figures.
import { type IntervalHistogram, PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
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
