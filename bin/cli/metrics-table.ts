// The metrics part of `weir info` (Flink's web UI job page, as a table): per subtask its records in
// and out with their rates, and how it spends its time — busy, backpressured (waiting for its
// consumers), idle (waiting for input) — the answer to "which operator is the bottleneck?".
// And the slots line of `weir list`.
import type { ClusterInfo, VertexDetails } from '../../messages/dispatcher.ts';
import type { SubtaskMetrics, SubtaskMetricsReport } from '../../messages/metrics.ts';
import { columns } from './columns.ts';

export function describeMetrics(vertices: readonly VertexDetails[], reports: readonly SubtaskMetricsReport[]): string[] {
  if (!reports.some((report) => report.metrics)) return ['  metrics:     none (no subtask has run yet)'];
  const byId = new Map(vertices.map((vertex) => [vertex.id, vertex]));
  const rows = reports.map(({ vertexId, subtaskIndex, metrics, unavailable }) => {
    const vertex = byId.get(vertexId);
    const cells = [vertex?.name ?? vertexId, `${subtaskIndex + 1}/${vertex?.parallelism ?? '?'}`];
    // Without figures: dashes, and why in the last column (which is not padded).
    return metrics ? [...cells, ...metricCells(metrics)] : [...cells, '-', '-', '-', '-', '-', '-', `- (${unavailable ?? 'no answer'})`];
  });
  const header = ['VERTEX', 'SUBTASK', 'RECORDS IN', 'IN/S', 'RECORDS OUT', 'OUT/S', 'BUSY', 'BACKPRESSURED', 'IDLE'];
  const lines = ['  metrics:', ...columns([header, ...rows], '    ')];
  for (const report of reports) {
    for (const metric of report.metrics?.user ?? []) {
      const vertex = byId.get(report.vertexId);
      const where = `${vertex?.name ?? report.vertexId} (${report.subtaskIndex + 1}/${vertex?.parallelism ?? '?'})`;
      lines.push(`    ${where} ${metric.operator}.${metric.name} (${metric.kind}): ${formatNumber(metric.value)}${metric.count === undefined ? '' : ` (count ${metric.count})`}`);
    }
  }
  return lines;
}

/** `Slots: 2 free of 4 on 2 TaskManagers`. */
export function describeSlots({ slotsFree, slotsTotal, taskManagers }: ClusterInfo): string {
  return `Slots: ${slotsFree} free of ${slotsTotal} on ${taskManagers} TaskManager${taskManagers === 1 ? '' : 's'}`;
}

function metricCells(metrics: SubtaskMetrics): string[] {
  return [
    String(metrics.numRecordsIn),
    formatNumber(metrics.numRecordsInPerSecond),
    String(metrics.numRecordsOut),
    formatNumber(metrics.numRecordsOutPerSecond),
    percent(metrics.busyTimeMsPerSecond),
    percent(metrics.backPressuredTimeMsPerSecond),
    percent(metrics.idleTimeMsPerSecond),
  ];
}

/** Of the 1000 ms of a second, as Flink's UI shows busy and backpressured: `97%`. */
function percent(msPerSecond: number): string {
  return `${Math.round(msPerSecond / 10)}%`;
}

/** Integers as they are, others with one decimal; NaN (a gauge that could not be read) as "?". */
function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '?';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
