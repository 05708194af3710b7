// A TaskManager's Prometheus families: every running task's figures (Flink's task and operator
// metrics) from the process's TaskMetricsRegistry, read at scrape time, one reading shared by every
// family of the same scrape. Node's own (heap, event loop, GC) come from the reporter's defaults.
import type { SubtaskMetrics } from '../../messages/metrics.ts';
import type { TaskMetricsEntry, TaskMetricsRegistry } from '../taskmanager/metrics-registry.ts';
import type { LabelValues, MetricFamily, MetricSample } from './prometheus-families.ts';

/** Families read within this long of each other share one reading of the registry. */
const READING_TTL_MS = 500;

type Figure = (metrics: SubtaskMetrics) => number | null;

/** Flink's task metric names, as Prometheus names them, and where each figure comes from. */
const TASK_FIGURES: ReadonlyArray<readonly [name: string, help: string, type: 'counter' | 'gauge', figure: Figure]> = [
  ['weir_task_records_in_total', 'Records the subtask took from its inputs (numRecordsIn).', 'counter', (m) => m.numRecordsIn],
  ['weir_task_records_out_total', 'Records the subtask wrote to its outputs (numRecordsOut).', 'counter', (m) => m.numRecordsOut],
  ['weir_task_bytes_in_total', 'Bytes of batches that reached the subtask over the wire (numBytesIn).', 'counter', (m) => m.numBytesIn],
  ['weir_task_bytes_out_total', 'Bytes of batches the subtask sent over the wire (numBytesOut).', 'counter', (m) => m.numBytesOut],
  ['weir_task_records_in_per_second', 'numRecordsInPerSecond, over the last minute.', 'gauge', (m) => m.numRecordsInPerSecond],
  ['weir_task_records_out_per_second', 'numRecordsOutPerSecond, over the last minute.', 'gauge', (m) => m.numRecordsOutPerSecond],
  ['weir_task_busy_time_ms_per_second', 'Time neither idle nor backpressured (busyTimeMsPerSecond).', 'gauge', (m) => m.busyTimeMsPerSecond],
  ['weir_task_backpressured_time_ms_per_second', 'Time waiting for room in an output (backPressuredTimeMsPerSecond).', 'gauge', (m) => m.backPressuredTimeMsPerSecond],
  ['weir_task_idle_time_ms_per_second', 'Time waiting for input (idleTimeMsPerSecond).', 'gauge', (m) => m.idleTimeMsPerSecond],
  ['weir_task_input_buffer_usage_ratio', 'Input channels\' queued batches over their credit (inPoolUsage).', 'gauge', (m) => m.inputBufferUsage],
  ['weir_task_output_buffer_usage_ratio', 'Subpartitions\' batches waiting for credit over their limit (outPoolUsage).', 'gauge', (m) => m.outputBufferUsage],
  ['weir_task_current_input_watermark_ms', 'The head operator\'s watermark (currentInputWatermark); -Inf before the first.', 'gauge', (m) => m.currentInputWatermark],
  ['weir_task_current_output_watermark_ms', 'The lowest watermark sent on an output edge (currentOutputWatermark).', 'gauge', (m) => m.currentOutputWatermark],
];

export function taskManagerFamilies(registry: TaskMetricsRegistry, now: () => number = Date.now): MetricFamily[] {
  let reading: TaskMetricsEntry[] = [];
  let readAt = -Infinity;
  const read = (): TaskMetricsEntry[] => {
    if (now() - readAt > READING_TTL_MS) {
      reading = registry.readAll();
      readAt = now();
    }
    return reading;
  };
  const families: MetricFamily[] = TASK_FIGURES.map(([name, help, type, figure]) => ({
    name,
    help,
    type,
    collect: () => {
      const samples: MetricSample[] = [];
      for (const entry of read()) {
        const value = figure(entry.metrics);
        if (value !== null) samples.push({ labels: labelsOf(entry), value });
      }
      return samples;
    },
  }));
  families.push({
    name: 'weir_task_user_metric',
    help: 'A metric the job created through getRuntimeContext().getMetricGroup(): a counter\'s count, a gauge\'s value, a meter\'s rate per second, a histogram\'s mean.',
    type: 'gauge',
    collect: () =>
      read().flatMap((entry) =>
        entry.metrics.user.map((metric) => ({ labels: { ...labelsOf(entry), operator: metric.operator, metric: metric.name, kind: metric.kind }, value: metric.value })),
      ),
  });
  return families;
}

function labelsOf({ labels }: TaskMetricsEntry): LabelValues {
  return {
    job_id: labels.jobId,
    job_name: labels.jobName,
    task_id: labels.vertexId,
    task_name: labels.vertexName,
    subtask_index: labels.subtaskIndex,
    task_attempt_num: labels.attemptNumber,
  };
}
