// The JobGraph: what a client submits. Built by api/ from the user's pipeline, run by cluster/.
// Pure data: user functions never travel; each TaskManager rebuilds them from the job bundle by
// stable operator id (same code, same graph).

export type RuntimeMode = 'STREAMING' | 'BATCH';

/** One operator of a chain; `kind` names the operator implementation, `config` is its data. */
export interface OperatorDescriptor {
  /** Stable id: from uid() when given, else derived from the position in the pipeline. */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** A unit of source work handed out lazily by the JobManager (RequestNextInputSplit). */
export interface InputSplit {
  readonly index: number;
  readonly payload: unknown;
}

export type Partitioning = 'forward' | 'rebalance' | 'rescale' | 'shuffle' | 'broadcast' | 'global' | 'hash' | 'custom';

export interface JobEdge {
  readonly sourceVertexId: string;
  readonly partitioning: Partitioning;
}

/** A chain of operators run by `parallelism` subtasks. */
export interface JobVertex {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  /** The chain, head first. */
  readonly operators: readonly OperatorDescriptor[];
  readonly inputs: readonly JobEdge[];
  /** Splits of a source vertex; none for other vertices. */
  readonly splits?: readonly InputSplit[];
  /** A bounded source ends; an unbounded one runs until cancelled. */
  readonly bounded: boolean;
}

export interface JobGraph {
  readonly name: string;
  readonly maxParallelism: number;
  readonly runtimeMode: RuntimeMode;
  /** Topologically ordered: every vertex after its inputs. */
  readonly vertices: readonly JobVertex[];
}

/** The highest parallelism of any vertex: the slots a job needs with slot sharing. */
export function requiredSlots(graph: JobGraph): number {
  return graph.vertices.reduce((max, vertex) => Math.max(max, vertex.parallelism), 0);
}
