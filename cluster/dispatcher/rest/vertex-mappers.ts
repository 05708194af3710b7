// A vertex in Flink's shapes: GET /jobs/:jobId/vertices/:vertexId (JobVertexDetailsInfo) and its
// /watermarks (Flink's metric list: `<subtask>.currentInputWatermark` with the value as a string).
import type { VertexDetails } from '../../../messages/dispatcher.ts';
import type { SubtaskMetricsReport } from '../../../messages/metrics.ts';

/** Flink's Long.MIN_VALUE / MAX_VALUE, which its watermark metrics show for -Infinity / +Infinity. */
const LONG_MIN = '-9223372036854775808';
const LONG_MAX = '9223372036854775807';

/** A watermark as Flink's metric value: ms as text, the extremes as Java's long bounds. */
export function watermarkText(watermark: number): string {
  if (watermark === Number.NEGATIVE_INFINITY) return LONG_MIN;
  if (watermark === Number.POSITIVE_INFINITY) return LONG_MAX;
  return String(Math.trunc(watermark));
}

/**
 * A watermark in Weir's own JSON fields: ms, or null before the first one (and where there is no
 * input or output); an ended input or output (+Infinity) is Number.MAX_SAFE_INTEGER (JSON has no infinity).
 */
export function watermarkJson(watermark: number | null | undefined): number | null {
  if (watermark === null || watermark === undefined || watermark === Number.NEGATIVE_INFINITY) return null;
  return watermark === Number.POSITIVE_INFINITY ? Number.MAX_SAFE_INTEGER : watermark;
}

/** GET .../watermarks: each measured subtask's input and output watermark (a source has no input). */
export function vertexWatermarks(reports: readonly SubtaskMetricsReport[], vertexId: string): { id: string; value: string }[] {
  const metrics: { id: string; value: string }[] = [];
  for (const report of reports) {
    if (report.vertexId !== vertexId || !report.metrics) continue;
    const { currentInputWatermark: inputWatermark, currentOutputWatermark: outputWatermark } = report.metrics;
    if (inputWatermark !== null) metrics.push({ id: `${report.subtaskIndex}.currentInputWatermark`, value: watermarkText(inputWatermark) });
    if (outputWatermark !== null) metrics.push({ id: `${report.subtaskIndex}.currentOutputWatermark`, value: watermarkText(outputWatermark) });
  }
  return metrics;
}

/** What a subtask entry carries beyond its state, by subtask index, when known. */
export type SubtaskExtras = ReadonlyMap<number, Record<string, unknown>>;

/** GET /jobs/:jobId/vertices/:vertexId (Flink's JobVertexDetailsInfo). */
export function vertexDetailsInfo(vertex: VertexDetails, now: number, extras: SubtaskExtras = new Map()): Record<string, unknown> {
  return {
    id: vertex.id,
    name: vertex.name,
    parallelism: vertex.parallelism,
    now,
    subtasks: vertex.subtasks.map((status, subtask) => ({
      subtask,
      status,
      attempt: 0,
      'start-time': -1,
      'end-time': -1,
      duration: -1,
      ...extras.get(subtask),
    })),
  };
}
