// What a JobManager reads from the checkpoint or savepoint it restores: each subtask's entry by
// (vertex, subtask), whether a savepoint fits the job at all, and the splits its restored readers
// already hold (a new job's fresh enumerators hand those out again; they are skipped here).
import type { JobGraph } from '../../messages/job-graph.ts';
import type { CheckpointMetadata, CompletedCheckpoint, SubtaskCheckpointEntry } from '../checkpoint/storage.ts';
import type { SplitAssigner } from './split-assigner.ts';

/** A lookup of the checkpoint's entries by vertex and subtask, mapped by `pick`. */
export function bySubtask<T>(metadata: CheckpointMetadata | undefined, pick: (entry: SubtaskCheckpointEntry) => T): (vertexId: string, subtaskIndex: number) => T | undefined {
  const entries = new Map(metadata?.subtasks.map((entry) => [`${entry.vertexId}\u0000${entry.subtaskIndex}`, pick(entry)]) ?? []);
  return (vertexId, subtaskIndex) => entries.get(`${vertexId}\u0000${subtaskIndex}`);
}

/** Why a savepoint cannot start this job (a vertex at another parallelism, state of a vertex it lacks), or undefined. */
export function savepointMismatch(savepoint: CompletedCheckpoint, graph: JobGraph, allowNonRestoredState: boolean): string | undefined {
  for (const [vertexId, parallelism] of Object.entries(savepoint.metadata.parallelism)) {
    const vertex = graph.vertices.find((candidate) => candidate.id === vertexId);
    const hasState = savepoint.metadata.subtasks.some((entry) => entry.vertexId === vertexId && entry.handle !== null);
    if (!vertex) {
      if (hasState && !allowNonRestoredState) return `it holds state of vertex "${vertexId}", which this job does not have (--allowNonRestoredState skips it)`;
      continue;
    }
    if (vertex.parallelism !== parallelism && hasState) {
      return `vertex "${vertex.name}" ran at parallelism ${parallelism} in it and is ${vertex.parallelism} now: restoring at another parallelism is not supported yet`;
    }
  }
  return undefined;
}

/**
 * The splits a job started from a savepoint already has in its restored readers. Static splits
 * leave the assigner's pool; an enumerated source's are seeded as received (so a failover keeps
 * exactly those) and counted by payload, so that the fresh enumerator's copies are skipped
 * (enumerators are taken to enumerate the same splits in every run).
 */
export class RestoredSplits {
  /** Per enumerated source vertex: a split's JSON -> how many restored readers hold it. */
  private readonly enumerated = new Map<string, Map<string, number>>();

  constructor(restored: CompletedCheckpoint, splits: SplitAssigner) {
    for (const entry of restored.metadata.subtasks) {
      const payloads = entry.enumeratedSplits ?? [];
      splits.seed(entry.vertexId, entry.subtaskIndex, payloads.map((payload, index) => ({ index: entry.splits?.[index] ?? index, payload })));
      let counts = this.enumerated.get(entry.vertexId);
      for (const payload of payloads) {
        if (!counts) this.enumerated.set(entry.vertexId, (counts = new Map()));
        const key = JSON.stringify(payload);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const indices = bySubtask(restored.metadata, (entry) => entry.splits ?? []);
    splits.resumeFrom((vertexId, subtaskIndex) => indices(vertexId, subtaskIndex) ?? []);
  }

  /** True (and counted) when a restored reader of the vertex already has a split with this payload. */
  take(vertexId: string, payload: unknown): boolean {
    const counts = this.enumerated.get(vertexId);
    const key = JSON.stringify(payload);
    const left = counts?.get(key) ?? 0;
    if (left === 0) return false;
    counts?.set(key, left - 1);
    return true;
  }
}
