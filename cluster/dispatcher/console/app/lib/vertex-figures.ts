// A job vertex's figures for its box in the graph: records in and out (per second, from the
// subtasks' rates, or from two readings of their counts when the REST API sends counts only) and
// its load, the worst of its subtasks'.
import { type JobDetails, type MetricValues, type VertexDetails, metricOf } from './rest-shapes.ts';
import type { GraphEdgeInput } from './graph-layout.ts';
import { RateTracker } from './rates.ts';
import { type LoadShares, type VertexLoad, classifyLoad, vertexShares } from './vertex-load.ts';

export interface VertexFigures {
  readonly recordsIn: number | null;
  readonly recordsOut: number | null;
  readonly recordsInPerSecond: number | null;
  readonly recordsOutPerSecond: number | null;
  readonly shares: LoadShares | null;
  readonly load: VertexLoad;
}

export const RECORDS_IN = ['read-records', 'numRecordsIn'] as const;
export const RECORDS_OUT = ['write-records', 'numRecordsOut'] as const;
export const RECORDS_IN_PER_SECOND = ['read-records-per-second', 'numRecordsInPerSecond'] as const;
export const RECORDS_OUT_PER_SECOND = ['write-records-per-second', 'numRecordsOutPerSecond'] as const;

/** The sum of one figure over the subtasks that report it; null when none does. */
export function sumOf(subtasks: readonly (MetricValues | null | undefined)[], names: readonly string[]): number | null {
  let sum: number | null = null;
  for (const metrics of subtasks) {
    const value = metricOf(metrics, ...names);
    if (value !== null) sum = (sum ?? 0) + value;
  }
  return sum;
}

/**
 * The figures of every vertex of `job`. `vertices` holds each vertex's latest answer with the time it
 * came (ms); `rates` remembers the counts between calls, for vertices whose subtasks send no rates.
 */
export function vertexFigures(
  job: JobDetails,
  vertices: ReadonlyMap<string, { readonly details: VertexDetails | null; readonly at: number | null }>,
  rates: RateTracker,
): ReadonlyMap<string, VertexFigures> {
  const figures = new Map<string, VertexFigures>();
  for (const vertex of job.vertices) {
    const answer = vertices.get(vertex.id);
    const subtasks = (answer?.details?.subtasks ?? []).map((subtask) => subtask.metrics);
    const recordsIn = sumOf(subtasks, RECORDS_IN) ?? metricOf(vertex.metrics, ...RECORDS_IN);
    const recordsOut = sumOf(subtasks, RECORDS_OUT) ?? metricOf(vertex.metrics, ...RECORDS_OUT);
    const at = answer?.at ?? null;
    const measuredIn = sumOf(subtasks, RECORDS_IN_PER_SECOND);
    const measuredOut = sumOf(subtasks, RECORDS_OUT_PER_SECOND);
    const derivedIn = at === null ? null : rates.update(`${vertex.id}/in`, recordsIn, at);
    const derivedOut = at === null ? null : rates.update(`${vertex.id}/out`, recordsOut, at);
    const shares = vertexShares(subtasks);
    figures.set(vertex.id, {
      recordsIn,
      recordsOut,
      recordsInPerSecond: measuredIn ?? derivedIn,
      recordsOutPerSecond: measuredOut ?? derivedOut,
      shares,
      load: classifyLoad(shares),
    });
  }
  return figures;
}

/** The job graph's edges, from the plan's inputs (Flink's `plan.nodes[].inputs[].id` names the upstream vertex). */
export function jobEdges(job: JobDetails): GraphEdgeInput[] {
  const edges: GraphEdgeInput[] = [];
  for (const node of job.plan?.nodes ?? []) {
    for (const input of node.inputs ?? []) edges.push({ source: input.id, target: node.id, ...(input.ship_strategy ? { label: input.ship_strategy } : {}) });
  }
  return edges;
}
