// Task and TaskManager metrics in Flink's field names: a subtask's IO metrics (read-records,
// write-records, read-bytes, write-bytes, with Weir's rates and time ratios beside them), a vertex's
// (its subtasks' sums; the busiest subtask's times), backpressure (Flink's JobVertexBackPressureInfo),
// and the TaskManagers (Flink's TaskManagerInfo).
import type { SubtaskMetrics, SubtaskMetricsReport, TaskManagerInfo, TaskManagerMetrics } from '../../../messages/metrics.ts';
import { watermarkJson } from './vertex-mappers.ts';

/** A subtask's metrics as a vertex's subtask entry carries them. */
export function subtaskIoMetrics(metrics: SubtaskMetrics): Record<string, unknown> {
  return {
    'read-records': metrics.numRecordsIn,
    'read-records-complete': true,
    'write-records': metrics.numRecordsOut,
    'write-records-complete': true,
    'read-bytes': metrics.numBytesIn,
    'read-bytes-complete': true,
    'write-bytes': metrics.numBytesOut,
    'write-bytes-complete': true,
    'read-records-per-second': metrics.numRecordsInPerSecond,
    'write-records-per-second': metrics.numRecordsOutPerSecond,
    'busy-time-ms-per-second': metrics.busyTimeMsPerSecond,
    'backpressured-time-ms-per-second': metrics.backPressuredTimeMsPerSecond,
    'idle-time-ms-per-second': metrics.idleTimeMsPerSecond,
    'busy-ratio': metrics.busyTimeMsPerSecond / 1_000,
    'backpressured-ratio': metrics.backPressuredTimeMsPerSecond / 1_000,
    'idle-ratio': metrics.idleTimeMsPerSecond / 1_000,
    'input-buffer-usage': metrics.inputBufferUsage,
    'output-buffer-usage': metrics.outputBufferUsage,
    user: metrics.user,
  };
}

/** The extra fields of a vertex's subtask entry: where it runs, its metrics (or why there are none), its watermarks. */
export function subtaskEntry(report: SubtaskMetricsReport): Record<string, unknown> {
  const { metrics } = report;
  return {
    status: report.status,
    attempt: report.attemptNumber,
    'taskmanager-id': report.taskManagerId ?? '(unassigned)',
    metrics: metrics ? subtaskIoMetrics(metrics) : null,
    ...(report.unavailable !== undefined ? { 'metrics-unavailable': report.unavailable } : {}),
    watermarks: { input: watermarkJson(metrics?.currentInputWatermark), output: watermarkJson(metrics?.currentOutputWatermark) },
  };
}

/**
 * A vertex's metrics in GET /jobs/:jobId: counts and rates summed over its subtasks, the time per
 * second of its busiest (most backpressured, most idle) subtask, as a graph view colours a vertex.
 * `*-complete` says whether every subtask reported.
 */
export function vertexIoMetrics(reports: readonly SubtaskMetricsReport[]): Record<string, number | boolean> {
  const measured = reports.flatMap((report) => (report.metrics ? [report.metrics] : []));
  const complete = measured.length === reports.length;
  const sum = (field: keyof SubtaskMetrics): number => measured.reduce((total, metrics) => total + (metrics[field] as number), 0);
  const max = (field: keyof SubtaskMetrics): number => measured.reduce((highest, metrics) => Math.max(highest, metrics[field] as number), 0);
  return {
    'read-records': sum('numRecordsIn'),
    'read-records-complete': complete,
    'write-records': sum('numRecordsOut'),
    'write-records-complete': complete,
    'read-bytes': sum('numBytesIn'),
    'read-bytes-complete': complete,
    'write-bytes': sum('numBytesOut'),
    'write-bytes-complete': complete,
    'read-records-per-second': sum('numRecordsInPerSecond'),
    'write-records-per-second': sum('numRecordsOutPerSecond'),
    'busy-time-ms-per-second': max('busyTimeMsPerSecond'),
    'backpressured-time-ms-per-second': max('backPressuredTimeMsPerSecond'),
    'idle-time-ms-per-second': max('idleTimeMsPerSecond'),
  };
}

/** Every vertex's metrics by vertex id. */
export function vertexMetricsById(reports: readonly SubtaskMetricsReport[]): Map<string, Record<string, number | boolean>> {
  const byVertex = new Map<string, SubtaskMetricsReport[]>();
  for (const report of reports) {
    const group = byVertex.get(report.vertexId);
    if (group) group.push(report);
    else byVertex.set(report.vertexId, [report]);
  }
  return new Map([...byVertex].map(([vertexId, group]) => [vertexId, vertexIoMetrics(group)]));
}

export type BackPressureLevel = 'ok' | 'low' | 'high';

/** Flink's thresholds: at most 10 % of the time backpressured is ok, at most 50 % low, more high. */
export function backPressureLevel(ratio: number): BackPressureLevel {
  if (ratio <= 0.1) return 'ok';
  return ratio <= 0.5 ? 'low' : 'high';
}

/** GET .../backpressure: every subtask that reported, from its backpressured / busy / idle time per second. */
export function vertexBackPressure(reports: readonly SubtaskMetricsReport[], now: number): Record<string, unknown> {
  const subtasks = reports.flatMap((report) => {
    if (!report.metrics) return [];
    const ratio = report.metrics.backPressuredTimeMsPerSecond / 1_000;
    return [
      {
        subtask: report.subtaskIndex,
        'attempt-number': report.attemptNumber,
        'backpressure-level': backPressureLevel(ratio),
        ratio,
        idleRatio: report.metrics.idleTimeMsPerSecond / 1_000,
        busyRatio: report.metrics.busyTimeMsPerSecond / 1_000,
      },
    ];
  });
  const highest = subtasks.reduce((max, subtask) => Math.max(max, subtask.ratio), 0);
  return { status: 'ok', 'backpressure-level': backPressureLevel(highest), 'end-timestamp': now, subtasks };
}

function processMetrics(metrics: TaskManagerMetrics): Record<string, number> {
  return {
    heapUsed: metrics.heapUsedBytes,
    heapCommitted: metrics.heapTotalBytes,
    rss: metrics.rssBytes,
    eventLoopDelayP50Ms: metrics.eventLoopDelayP50Ms,
    eventLoopDelayP99Ms: metrics.eventLoopDelayP99Ms,
    gcTimeMsTotal: metrics.gcTimeMsTotal,
    gcTimeMsPerSecond: metrics.gcTimeMsPerSecond,
    uptimeMs: metrics.uptimeMs,
  };
}

/** A TaskManager of GET /taskmanagers and /taskmanagers/:id (Flink's TaskManagerInfo, with its slots). */
export function taskManagerEntry(info: TaskManagerInfo): Record<string, unknown> {
  return {
    id: info.id,
    path: info.path,
    dataPort: info.dataPort,
    // As Flink's field of this name: the time of the last heartbeat (epoch ms), not a duration.
    timeSinceLastHeartbeat: info.lastHeartbeat,
    registeredAt: info.registeredAt,
    slotsNumber: info.slotsTotal,
    freeSlots: info.slotsFree,
    slots: info.slots,
    metrics: info.metrics ? processMetrics(info.metrics) : null,
    ...(info.unavailable !== undefined ? { 'metrics-unavailable': info.unavailable } : {}),
  };
}
