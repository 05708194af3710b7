// StreamGraph -> JobGraph: resolve the declared transformations into operators and edges
// (stream-nodes.ts), group them into chains (chaining.ts), and describe each chain as a JobVertex
// whose inputs are the network edges into its head. Validation errors name the operator.
import { WeirError } from '../../messages/errors.ts';
import type { CheckpointingSettings, JobEdge, JobGraph, JobVertex, OperatorDescriptor, RestartStrategySettings, RuntimeMode } from '../../messages/job-graph.ts';
import { type Chain, formChains } from './chaining.ts';
import type { StreamGraph } from './stream-graph.ts';
import { type StreamEdge, type StreamNode, resolveStreamNodes } from './stream-nodes.ts';
import { type PartitionTransformation, type SourceTransformation, describeTransformation, operatorId } from './transformation.ts';

export type RuntimeExecutionMode = RuntimeMode | 'AUTOMATIC';

export interface JobGraphSettings {
  readonly jobName: string;
  readonly maxParallelism: number;
  readonly runtimeMode: RuntimeExecutionMode;
  readonly bufferTimeoutMs: number;
  readonly autoWatermarkIntervalMs: number;
  readonly objectReuse: boolean;
  /** False after env.disableOperatorChaining(): every operator is a vertex of its own. */
  readonly chainingEnabled: boolean;
  /** env.enableCheckpointing() and getCheckpointConfig(): absent unless the job enabled checkpointing. */
  readonly checkpointing?: CheckpointingSettings;
  /** env.setRestartStrategy(): absent unless the job set one. */
  readonly restartStrategy?: RestartStrategySettings;
}

/** One vertex and what a subtask needs to build its chain. */
export interface PlannedVertex {
  readonly vertex: JobVertex;
  /** Head first, then the chained operators in topological order. */
  readonly nodes: readonly StreamNode[];
  readonly descriptors: ReadonlyMap<StreamNode, OperatorDescriptor>;
  /** The edges from each node to operators of the same chain. */
  readonly chainedOutputs: ReadonlyMap<StreamNode, readonly StreamEdge[]>;
}

export interface BuiltJobGraph {
  readonly graph: JobGraph;
  /** By vertex id. */
  readonly vertices: ReadonlyMap<string, PlannedVertex>;
  /** The key selectors and custom partitioners of 'hash' and 'custom' edges, by JobEdge.partitionerId. */
  readonly partitioners: ReadonlyMap<string, PartitionTransformation>;
}

export function buildJobGraph(streamGraph: StreamGraph, settings: JobGraphSettings): BuiltJobGraph {
  const transformations = streamGraph.transformations;
  const sources = transformations.filter((transformation): transformation is SourceTransformation => transformation.role === 'source');
  if (sources.length === 0) {
    throw new WeirError('INVALID_PIPELINE', `job "${settings.jobName}" declares no source: start a pipeline with an env source: fromSequence(), fromElements(), fromCollection(), fromObservable(), readTextFile(), socketTextStream() or fromSource()`);
  }
  const runtimeMode = resolveRuntimeMode(settings.runtimeMode, sources);
  const { nodes, partitioners } = resolveStreamNodes(transformations, runtimeMode);
  checkUniqueIds(nodes);
  for (const node of nodes) {
    if (node.source) checkLeadsToSink(node);
    if (node.parallelism > settings.maxParallelism) {
      throw new WeirError(
        'INVALID_PARALLELISM',
        `operator "${node.name}" (id "${node.id}") has parallelism ${node.parallelism}, more than the job's max parallelism ${settings.maxParallelism} (setMaxParallelism)`,
      );
    }
  }
  const chains = formChains(nodes, settings.chainingEnabled);
  const headVertex = new Map<StreamNode, string>();
  for (const chain of chains) for (const node of chain.nodes) headVertex.set(node, chain.head.id);
  const vertices = new Map<string, PlannedVertex>();
  for (const chain of chains) {
    const planned = planVertex(chain, headVertex);
    vertices.set(planned.vertex.id, planned);
  }
  const graph: JobGraph = {
    name: settings.jobName,
    maxParallelism: settings.maxParallelism,
    runtimeMode,
    bufferTimeoutMs: settings.bufferTimeoutMs,
    autoWatermarkIntervalMs: settings.autoWatermarkIntervalMs,
    ...(settings.objectReuse ? { objectReuse: true } : {}),
    ...(settings.checkpointing ? { checkpointing: settings.checkpointing } : {}),
    ...(settings.restartStrategy ? { restartStrategy: settings.restartStrategy } : {}),
    vertices: [...vertices.values()].map((planned) => planned.vertex),
  };
  return { graph, vertices, partitioners };
}

function planVertex(chain: Chain, headVertex: ReadonlyMap<StreamNode, string>): PlannedVertex {
  const { head, nodes } = chain;
  const members = new Set(nodes);
  const descriptors = new Map<StreamNode, OperatorDescriptor>();
  const chainedOutputs = new Map<StreamNode, StreamEdge[]>();
  for (const node of nodes) {
    descriptors.set(node, describe(node, node === head ? undefined : node.inputs[0]));
    chainedOutputs.set(
      node,
      node.outputs.filter((edge) => members.has(edge.target) && edge.target !== head),
    );
  }
  const splits = head.source?.planSplits(head.parallelism);
  const vertex: JobVertex = {
    id: head.id,
    name: nodes.map((node) => node.name).join(' -> '),
    parallelism: head.parallelism,
    operators: [...descriptors.values()],
    inputs: head.inputs.map((edge) => jobEdge(edge, headVertex)),
    ...(splits ? { splits } : {}),
    ...(head.source?.createEnumerator ? { enumeratedSplits: true } : {}),
    bounded: head.bounded,
  };
  return { vertex, nodes, descriptors, chainedOutputs };
}

function jobEdge(edge: StreamEdge, headVertex: ReadonlyMap<StreamNode, string>): JobEdge {
  return {
    sourceVertexId: headVertex.get(edge.source) as string,
    partitioning: edge.partitioning,
    sourceOperatorId: edge.source.id,
    ...(edge.outputTag !== undefined ? { outputTag: edge.outputTag } : {}),
    ...(edge.partitioner ? { partitionerId: operatorId(edge.partitioner) } : {}),
    targetInput: edge.targetInput,
  };
}

/** The descriptor: data only. A chained operator's config names its input (and the side output it reads). */
function describe(node: StreamNode, chainedInput: StreamEdge | undefined): OperatorDescriptor {
  const input = chainedInput ? { input: chainedInput.source.id, ...(chainedInput.outputTag !== undefined ? { inputTag: chainedInput.outputTag } : {}) } : {};
  return { id: node.id, kind: node.kind, name: node.name, config: { ...node.config, ...input } };
}

function checkLeadsToSink(source: StreamNode): void {
  const seen = new Set<StreamNode>();
  const pending = [source];
  while (pending.length > 0) {
    const node = pending.pop() as StreamNode;
    if (node.role === 'sink') return;
    for (const edge of node.outputs) {
      if (!seen.has(edge.target)) {
        seen.add(edge.target);
        pending.push(edge.target);
      }
    }
  }
  throw new WeirError('INVALID_PIPELINE', `operator "${source.name}" (id "${source.id}") leads to no sink: end its pipeline with print(), sinkTo(), writeAsText(), writeAsJsonLines() or executeAndCollect()`);
}

/** Operator ids (uids, default ids and combiner ids) must be unique: the TaskManagers find operators by id. */
function checkUniqueIds(nodes: readonly StreamNode[]): void {
  const seen = new Map<string, StreamNode>();
  for (const node of nodes) {
    const earlier = seen.get(node.id);
    if (earlier) {
      throw new WeirError('DUPLICATE_OPERATOR_ID', `operator "${node.name}" and operator "${earlier.name}" both have id "${node.id}": give each a unique uid()`);
    }
    seen.set(node.id, node);
  }
}

/** AUTOMATIC is BATCH when every source is bounded (Flink's execution.runtime-mode). */
function resolveRuntimeMode(mode: RuntimeExecutionMode, sources: readonly SourceTransformation[]): RuntimeMode {
  const unbounded = sources.find((source) => !source.bounded);
  if (mode === 'AUTOMATIC') return unbounded ? 'STREAMING' : 'BATCH';
  if (mode === 'BATCH' && unbounded) {
    throw new WeirError('INVALID_RUNTIME_MODE', `${describeTransformation(unbounded)} is unbounded, so the job cannot run in BATCH mode: use STREAMING or AUTOMATIC`);
  }
  return mode;
}
