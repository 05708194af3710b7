// Hands out a source vertex's input splits lazily, one per RequestNextInputSplit, so a fast subtask
// takes more of them (Flink's InputSplitAssigner). It remembers which subtask got which split, in
// order, so that a restart from a checkpoint gives out again exactly the splits a subtask received
// after its snapshot (the snapshot says how many it had: SourceSnapshot.splitsReceived).
// An enumerated source's splits come from its enumerator (split-enumerators.ts) and are recorded
// here as they are handed out; the ones a restart gives back wait here, served before the
// enumerator is asked again (Flink's addSplitsBack).
import type { InputSplit, JobGraph } from '../../messages/job-graph.ts';

export class SplitAssigner {
  private readonly remaining = new Map<string, InputSplit[]>();
  /** Per vertex, per subtask: the splits handed out, in order, over every attempt. */
  private readonly assigned = new Map<string, InputSplit[][]>();
  /** Per vertex with static splits: every split it has (what a checkpoint lists for a restore at another parallelism). */
  private readonly planned = new Map<string, readonly InputSplit[]>();

  constructor(graph: JobGraph) {
    for (const vertex of graph.vertices) {
      if (!vertex.splits && !vertex.enumeratedSplits) continue;
      this.remaining.set(vertex.id, [...(vertex.splits ?? [])]);
      this.assigned.set(vertex.id, Array.from({ length: vertex.parallelism }, () => []));
      if (vertex.splits && !vertex.enumeratedSplits) this.planned.set(vertex.id, vertex.splits);
    }
  }

  /** Every static split of each vertex that has them. */
  plannedSplits(): Readonly<Record<string, readonly InputSplit[]>> {
    return Object.fromEntries(this.planned);
  }

  /**
   * Before any split is handed out: the vertex goes on with these splits instead of its graph's (a
   * job started at another parallelism from a savepoint, whose splits were cut for the old one).
   */
  replaceSplits(vertexId: string, splits: readonly InputSplit[]): void {
    if (!this.remaining.has(vertexId)) return;
    this.remaining.set(vertexId, [...splits]);
    this.planned.set(vertexId, splits);
  }

  /** The next split of `vertexId` for that subtask, or null when none are left (or the vertex has none). */
  next(vertexId: string, subtaskIndex: number): InputSplit | null {
    const split = this.remaining.get(vertexId)?.shift() ?? null;
    if (split) this.assigned.get(vertexId)?.[subtaskIndex]?.push(split);
    return split;
  }

  /** An enumerator's split handed to that subtask. */
  record(vertexId: string, subtaskIndex: number, split: InputSplit): void {
    this.assigned.get(vertexId)?.[subtaskIndex]?.push(split);
  }

  /**
   * A job started from a savepoint, an enumerated source: the splits its restored reader had (their
   * indices and payloads from the savepoint), so that they count among what the subtask received
   * (its restored reader counts them) and a failover keeps exactly those.
   */
  seed(vertexId: string, subtaskIndex: number, splits: readonly InputSplit[]): void {
    this.assigned.get(vertexId)?.[subtaskIndex]?.push(...splits);
  }

  /** A split no reader got (its request's attempt is gone): the next request of any subtask takes it. */
  giveBack(vertexId: string, split: InputSplit): void {
    this.remaining.get(vertexId)?.unshift(split);
  }

  /** The payloads of the first `count` splits the subtask was given. */
  receivedPayloads(vertexId: string, subtaskIndex: number, count: number): unknown[] {
    return (this.assigned.get(vertexId)?.[subtaskIndex] ?? []).slice(0, count).map((split) => split.payload);
  }

  /** The indices of the first `count` splits the subtask was given (what its snapshot says it received). */
  received(vertexId: string, subtaskIndex: number, count: number): number[] {
    return (this.assigned.get(vertexId)?.[subtaskIndex] ?? []).slice(0, count).map((split) => split.index);
  }

  /**
   * A job started from a savepoint: each subtask's restored reader already had the splits listed
   * for it (by index); nobody gets those again.
   */
  resumeFrom(received: (vertexId: string, subtaskIndex: number) => readonly number[]): void {
    for (const [vertexId, perSubtask] of this.assigned) {
      const remaining = this.remaining.get(vertexId) ?? [];
      perSubtask.forEach((splits, subtaskIndex) => {
        const indices = new Set(received(vertexId, subtaskIndex));
        splits.push(...remaining.filter((split) => indices.has(split.index)));
      });
      const taken = new Set(perSubtask.flat());
      this.remaining.set(vertexId, remaining.filter((split) => !taken.has(split)));
    }
  }

  /**
   * A restart: each subtask keeps the first `received(vertex, subtask)` splits it was given (its
   * restored reader has them, finished or with their offsets); the later ones go back, ahead of the
   * splits nobody got yet, in split order. `received` null (no checkpoint): every split goes back.
   */
  restore(received: (vertexId: string, subtaskIndex: number) => number | null): void {
    for (const [vertexId, perSubtask] of this.assigned) {
      const back: InputSplit[] = [];
      perSubtask.forEach((splits, subtaskIndex) => {
        const kept = Math.min(received(vertexId, subtaskIndex) ?? 0, splits.length);
        back.push(...splits.splice(kept));
      });
      back.sort((a, b) => a.index - b.index);
      this.remaining.set(vertexId, [...back, ...(this.remaining.get(vertexId) ?? [])]);
    }
  }
}
