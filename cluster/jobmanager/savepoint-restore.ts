// What a JobManager reads from the checkpoint or savepoint it restores: each subtask's entry by
// (vertex, subtask), whether a savepoint fits the job at all, what each subtask restores (its own
// file, or at another parallelism the old subtasks' files and its key groups), and the splits its
// restored readers already hold (a new job's fresh enumerators hand those out again; they are
// skipped here).
//
// Rescaling (Flink's StateAssignmentOperation, JobManager side): a vertex that ran at parallelism p
// in the checkpoint runs at p' now. Its subtasks merge the old files themselves (rescale.ts); here
// the old source readers' received splits are handed out over the new ones, round robin over the
// old readers' lists in subtask order (each new list in split order), so every split has exactly one
// reader and a reader counts exactly the splits the JobManager records for it.
import { keyGroupRangeFor } from '../../api/runtime/key-groups.ts';
import type { InputSplit, JobGraph, JobVertex } from '../../messages/job-graph.ts';
import type { TaskCheckpointing } from '../../messages/task-manager.ts';
import type { CheckpointMetadata, CompletedCheckpoint, SubtaskCheckpointEntry } from '../checkpoint/storage.ts';
import type { SplitAssigner } from './split-assigner.ts';

/** A lookup of the checkpoint's entries by vertex and subtask, mapped by `pick`. */
export function bySubtask<T>(metadata: CheckpointMetadata | undefined, pick: (entry: SubtaskCheckpointEntry) => T): (vertexId: string, subtaskIndex: number) => T | undefined {
  const entries = new Map(metadata?.subtasks.map((entry) => [`${entry.vertexId}\u0000${entry.subtaskIndex}`, pick(entry)]) ?? []);
  return (vertexId, subtaskIndex) => entries.get(`${vertexId}\u0000${subtaskIndex}`);
}

/**
 * Why a savepoint cannot start this job (state of a vertex it lacks, keyed state under another max
 * parallelism, source positions it cannot hand out at another parallelism), or undefined.
 */
export function savepointMismatch(savepoint: CompletedCheckpoint, graph: JobGraph, allowNonRestoredState: boolean): string | undefined {
  const { metadata } = savepoint;
  for (const [vertexId, parallelism] of Object.entries(metadata.parallelism)) {
    const vertex = graph.vertices.find((candidate) => candidate.id === vertexId);
    const entries = metadata.subtasks.filter((entry) => entry.vertexId === vertexId);
    const hasState = entries.some((entry) => entry.handle !== null);
    if (!vertex) {
      if (hasState && !allowNonRestoredState) return `it holds state of vertex "${vertexId}", which this job does not have (--allowNonRestoredState skips it)`;
      continue;
    }
    const keyed = vertex.inputs.some((edge) => edge.partitioning === 'hash');
    if (hasState && keyed && metadata.maxParallelism !== undefined && metadata.maxParallelism !== graph.maxParallelism) {
      return `vertex "${vertex.name}" keeps keyed state in ${metadata.maxParallelism} key groups in it (max parallelism ${metadata.maxParallelism}), and the job's max parallelism is ${graph.maxParallelism} now: keyed state restores only at the max parallelism it was written with`;
    }
    if (vertex.parallelism === parallelism || !hasState) continue;
    if (vertex.parallelism > graph.maxParallelism) {
      return `vertex "${vertex.name}" cannot run at parallelism ${vertex.parallelism}: the job's max parallelism is ${graph.maxParallelism}, and a subtask owns at least one key group`;
    }
    const unnamed = entries.find((entry) => (entry.splitsReceived ?? 0) > 0 && entry.splits === undefined);
    const unplanned = !vertex.enumeratedSplits && (vertex.splits?.length ?? 0) > 0 && metadata.sourceSplits?.[vertexId] === undefined;
    if (unnamed !== undefined || unplanned) {
      return `vertex "${vertex.name}" ran at parallelism ${parallelism} in it and is ${vertex.parallelism} now, but it does not list its source's splits (an older Weir wrote it): restore it at parallelism ${parallelism}`;
    }
  }
  return undefined;
}

/** What each subtask of the job restores from `checkpoint` (its TaskCheckpointing fields), or undefined for nothing. */
export function restoreOf(checkpoint: CompletedCheckpoint, graph: JobGraph): (vertex: JobVertex, subtaskIndex: number) => Pick<TaskCheckpointing, 'restore' | 'rescaledRestore'> | undefined {
  const { metadata } = checkpoint;
  const { checkpointId } = metadata;
  const files = bySubtask(metadata, (entry) => entry.handle?.path);
  const handedOver = new Map<string, InputSplit[][]>();
  return (vertex, subtaskIndex) => {
    const oldParallelism = metadata.parallelism[vertex.id];
    if (oldParallelism === undefined) return undefined;
    if (oldParallelism === vertex.parallelism) {
      const path = files(vertex.id, subtaskIndex);
      return path === undefined ? undefined : { restore: { checkpointId, path } };
    }
    const oldFiles = Array.from({ length: oldParallelism }, (_, index) => files(vertex.id, index) ?? null);
    if (oldFiles.every((path) => path === null)) return undefined;
    let splits = handedOver.get(vertex.id);
    if (splits === undefined) handedOver.set(vertex.id, (splits = handOverSplits(metadata, vertex)));
    const keyGroups = keyGroupRangeFor(subtaskIndex, graph.maxParallelism, vertex.parallelism);
    const sourceSplits = isSource(metadata, vertex) ? { splits: splits[subtaskIndex].map((split) => split.index) } : {};
    return { rescaledRestore: { checkpointId, files: oldFiles, keyGroups, ...sourceSplits } };
  };
}

/**
 * How many splits each source subtask's restored reader counts as received (what a restart keeps of
 * the splits the JobManager recorded for it): the checkpoint's count, or at another parallelism the
 * number handed over to it; null for a subtask the checkpoint does not cover.
 */
export function receivedOnRestore(checkpoint: CompletedCheckpoint | null, graph: JobGraph): (vertexId: string, subtaskIndex: number) => number | null {
  const received = bySubtask(checkpoint?.metadata, (entry) => entry.splitsReceived);
  const handedOver = new Map<string, InputSplit[][]>();
  return (vertexId, subtaskIndex) => {
    const vertex = graph.vertices.find((candidate) => candidate.id === vertexId);
    const metadata = checkpoint?.metadata;
    if (metadata === undefined || vertex === undefined || metadata.parallelism[vertexId] === undefined || metadata.parallelism[vertexId] === vertex.parallelism) {
      return received(vertexId, subtaskIndex) ?? null;
    }
    let splits = handedOver.get(vertexId);
    if (splits === undefined) handedOver.set(vertexId, (splits = handOverSplits(metadata, vertex)));
    return splits[subtaskIndex]?.length ?? null;
  };
}

/** Whether the vertex's subtasks snapshot a source reader's position in the checkpoint. */
function isSource(metadata: CheckpointMetadata, vertex: JobVertex): boolean {
  return metadata.subtasks.some((entry) => entry.vertexId === vertex.id && entry.splitsReceived !== null);
}

/**
 * The old readers' received splits (finished or not), handed out round robin over the vertex's
 * subtasks now, each one's in split order (the order a source cut or enumerated them), so a reader
 * resumes its oldest split first, as the readers before did.
 */
function handOverSplits(metadata: CheckpointMetadata, vertex: JobVertex): InputSplit[][] {
  const planned = new Map((metadata.sourceSplits?.[vertex.id] ?? []).map((split) => [split.index, split]));
  const entries = metadata.subtasks.filter((entry) => entry.vertexId === vertex.id).sort((a, b) => a.subtaskIndex - b.subtaskIndex);
  const received = entries.flatMap((entry) => (entry.splits ?? []).map((index, position) => ({ index, payload: entry.enumeratedSplits !== undefined ? entry.enumeratedSplits[position] : planned.get(index)?.payload })));
  const handed: InputSplit[][] = Array.from({ length: vertex.parallelism }, () => []);
  received.forEach((split, position) => handed[position % vertex.parallelism].push(split));
  for (const splits of handed) splits.sort((a, b) => a.index - b.index);
  return handed;
}

/**
 * The splits a job started from a savepoint already has in its restored readers. Static splits
 * leave the assigner's pool; an enumerated source's are seeded as received (so a failover keeps
 * exactly those) and counted by payload, so that the fresh enumerator's copies are skipped
 * (enumerators are taken to enumerate the same splits in every run). At another parallelism, a
 * static source goes on with the splits the savepoint was cut into (planning cuts others for
 * another parallelism), and each reader holds the splits handed over to it.
 */
export class RestoredSplits {
  /** Per enumerated source vertex: a split's JSON -> how many restored readers hold it. */
  private readonly enumerated = new Map<string, Map<string, number>>();

  constructor(restored: CompletedCheckpoint, graph: JobGraph, splits: SplitAssigner) {
    const { metadata } = restored;
    const held = new Map<string, InputSplit[][]>();
    for (const vertex of graph.vertices) {
      const oldParallelism = metadata.parallelism[vertex.id];
      if (oldParallelism === undefined || oldParallelism === vertex.parallelism || !isSource(metadata, vertex)) continue;
      const planned = metadata.sourceSplits?.[vertex.id];
      if (planned !== undefined && !vertex.enumeratedSplits) splits.replaceSplits(vertex.id, planned);
      held.set(vertex.id, handOverSplits(metadata, vertex));
    }
    for (const entry of metadata.subtasks) {
      const payloads = entry.enumeratedSplits ?? [];
      if (!held.has(entry.vertexId)) splits.seed(entry.vertexId, entry.subtaskIndex, payloads.map((payload, index) => ({ index: entry.splits?.[index] ?? index, payload })));
      let counts = this.enumerated.get(entry.vertexId);
      for (const payload of payloads) {
        if (!counts) this.enumerated.set(entry.vertexId, (counts = new Map()));
        const key = JSON.stringify(payload);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    for (const vertex of graph.vertices) {
      if (vertex.enumeratedSplits) held.get(vertex.id)?.forEach((handed, subtaskIndex) => splits.seed(vertex.id, subtaskIndex, handed));
    }
    const indices = bySubtask(metadata, (entry) => entry.splits ?? []);
    splits.resumeFrom((vertexId, subtaskIndex) => held.get(vertexId)?.[subtaskIndex]?.map((split) => split.index) ?? indices(vertexId, subtaskIndex) ?? []);
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
