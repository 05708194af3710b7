// Hands out a source vertex's input splits lazily, one per RequestNextInputSplit, so a fast subtask
// takes more of them (Flink's InputSplitAssigner).
import type { InputSplit, JobGraph } from '../../messages/job-graph.ts';

export class SplitAssigner {
  private readonly remaining = new Map<string, InputSplit[]>();

  constructor(graph: JobGraph) {
    for (const vertex of graph.vertices) if (vertex.splits) this.remaining.set(vertex.id, [...vertex.splits]);
  }

  /** The next split of `vertexId`, or null when none are left (or the vertex has none). */
  next(vertexId: string): InputSplit | null {
    return this.remaining.get(vertexId)?.shift() ?? null;
  }
}
