// What a client says before it submits a checkpointing job (Flink's client warns the same way): the
// stateful operators that have no uid() (a savepoint restores their state only into the very same
// pipeline: a missing uid is the top cause of failed restores, FLINK-34352), and the sources that
// cannot replay (the job is at-most-once for their records). Read from the JobGraph alone.
import { type JobGraph, type OperatorDescriptor } from '../../messages/job-graph.ts';

/** Operator kinds that keep state a checkpoint holds (keyed state, windows, positions, transactions). */
const STATEFUL_KINDS = new Set([
  'reduce',
  'sum',
  'min',
  'max',
  'min-by',
  'max-by',
  'window',
  'keyed-process',
  'keyed-co-process',
  'keyed-broadcast-process',
  'broadcast-process',
  'interval-join',
  'async-map',
  'async-filter',
  'async-flat-map',
  'sink-file',
  'sink-two-phase-commit',
  'source',
  'source-sequence',
  'source-collection',
  'source-text-file',
]);

/** Sources whose records cannot be read again after a failure. */
const NO_REPLAY_KINDS = new Set(['source-observable', 'source-socket-text']);

/** An id of the default form `<kind>-<n>`: the operator got no uid(). */
function hasDefaultId(operator: OperatorDescriptor): boolean {
  return new RegExp(`^${operator.kind.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`).test(operator.id);
}

/** The warnings for `graph`; none unless the job checkpoints. */
export function submitWarnings(graph: JobGraph): string[] {
  if (!graph.checkpointing) return [];
  const operators = graph.vertices.flatMap((vertex) => vertex.operators);
  const warnings: string[] = [];
  const withoutUid = operators.filter((operator) => STATEFUL_KINDS.has(operator.kind) && hasDefaultId(operator));
  if (withoutUid.length > 0) {
    const names = withoutUid.map((operator) => `"${operator.name}" (${operator.id})`).join(', ');
    warnings.push(`job "${graph.name}": stateful operators without uid(): ${names}; their state restores from a savepoint only into this very pipeline: give each a stable .uid("...")`);
  }
  for (const operator of operators.filter((candidate) => NO_REPLAY_KINDS.has(candidate.kind))) {
    warnings.push(`job "${graph.name}" checkpoints, but source "${operator.name}" (${operator.id}) cannot replay its records: after a failure the job is at-most-once for them`);
  }
  return warnings;
}
