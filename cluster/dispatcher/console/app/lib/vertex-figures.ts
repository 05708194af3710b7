// A job vertex's figures for its box in the graph: records in and out (per second, as the REST API
// measured them, or from two readings of the counts when it sends counts only) and its load, the
// busiest subtask's.
import { type JobDetails, metricOf } from './rest-shapes.ts';
import type { GraphEdgeInput } from './graph-layout.ts';
import { RateTracker } from './rates.ts';
import { type LoadShares, type VertexLoad, classifyLoad, loadShares } from './vertex-load.ts';

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

/**
 * The figures of every vertex of `job` (GET /jobs/:jobId, whose vertices carry their subtasks' sums
 * and the busiest subtask's times), read at `at` (ms). `rates` remembers the counts between calls,
 * for a server that sends counts without rates.
 */
export function vertexFigures(job: JobDetails, at: number | null, rates: RateTracker): ReadonlyMap<string, VertexFigures> {
  const figures = new Map<string, VertexFigures>();
  for (const vertex of job.vertices) {
    const metrics = vertex.metrics ?? null;
    const recordsIn = metricOf(metrics, ...RECORDS_IN);
    const recordsOut = metricOf(metrics, ...RECORDS_OUT);
    const derivedIn = at === null ? null : rates.update(`${vertex.id}/in`, recordsIn, at);
    const derivedOut = at === null ? null : rates.update(`${vertex.id}/out`, recordsOut, at);
    const shares = loadShares(metrics);
    figures.set(vertex.id, {
      recordsIn,
      recordsOut,
      recordsInPerSecond: metricOf(metrics, ...RECORDS_IN_PER_SECOND) ?? derivedIn,
      recordsOutPerSecond: metricOf(metrics, ...RECORDS_OUT_PER_SECOND) ?? derivedOut,
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
