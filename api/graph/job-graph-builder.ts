// StreamGraph -> JobGraph. In this version every operator is chained to its input (no network
// exchanges yet), so each source and everything downstream of it is one JobVertex with the source's
// parallelism; a stream consumed twice fans out inside the chain. Validation errors name the operator.
import { WeirError } from '../../messages/errors.ts';
import type { JobGraph, JobVertex, OperatorDescriptor, RuntimeMode } from '../../messages/job-graph.ts';
import type { StreamGraph } from './stream-graph.ts';
import {
  type OperatorTransformation,
  type SourceTransformation,
  type Transformation,
  checkChainedParallelism,
  describeTransformation,
  operatorId,
  sourceOf,
} from './transformation.ts';

export type RuntimeExecutionMode = RuntimeMode | 'AUTOMATIC';

export interface JobGraphSettings {
  readonly jobName: string;
  readonly maxParallelism: number;
  readonly runtimeMode: RuntimeExecutionMode;
}

/** One vertex and what a subtask needs to build its chain. */
export interface PlannedChain {
  readonly vertex: JobVertex;
  readonly source: SourceTransformation;
  /** The operators after the source, in declaration order, which is topological. */
  readonly operators: readonly OperatorTransformation[];
  readonly descriptors: ReadonlyMap<Transformation, OperatorDescriptor>;
  /** The operators that consume each transformation's output, within the chain. */
  readonly consumers: ReadonlyMap<Transformation, readonly OperatorTransformation[]>;
}

export interface BuiltJobGraph {
  readonly graph: JobGraph;
  /** By vertex id. */
  readonly chains: ReadonlyMap<string, PlannedChain>;
}

export function buildJobGraph(streamGraph: StreamGraph, settings: JobGraphSettings): BuiltJobGraph {
  const transformations = streamGraph.transformations;
  const sources = transformations.filter((transformation): transformation is SourceTransformation => transformation.role === 'source');
  if (sources.length === 0) {
    throw new WeirError('INVALID_PIPELINE', `job "${settings.jobName}" declares no source: start a pipeline with env.fromSequence(), fromElements(), fromCollection() or fromObservable()`);
  }
  checkUniqueIds(transformations);
  const chainOperators = new Map<SourceTransformation, OperatorTransformation[]>(sources.map((source) => [source, []]));
  const consumers = new Map<Transformation, OperatorTransformation[]>();
  for (const transformation of transformations) {
    if (transformation.role === 'source') continue;
    chainOperators.get(sourceOf(transformation))?.push(transformation);
    const siblings = consumers.get(transformation.input);
    if (siblings) siblings.push(transformation);
    else consumers.set(transformation.input, [transformation]);
  }
  const chains = new Map<string, PlannedChain>();
  for (const source of sources) {
    const chain = planChain(source, chainOperators.get(source) ?? [], consumers, settings);
    chains.set(chain.vertex.id, chain);
  }
  const graph: JobGraph = {
    name: settings.jobName,
    maxParallelism: settings.maxParallelism,
    runtimeMode: resolveRuntimeMode(settings.runtimeMode, sources),
    vertices: [...chains.values()].map((chain) => chain.vertex),
  };
  return { graph, chains };
}

function planChain(
  source: SourceTransformation,
  operators: readonly OperatorTransformation[],
  consumers: ReadonlyMap<Transformation, readonly OperatorTransformation[]>,
  settings: JobGraphSettings,
): PlannedChain {
  if (!operators.some((operator) => operator.role === 'sink')) {
    throw new WeirError('INVALID_PIPELINE', `${describeTransformation(source)} leads to no sink: end its pipeline with print(), sinkTo() or writeAsText()`);
  }
  const parallelism = source.parallelism;
  if (parallelism > settings.maxParallelism) {
    throw new WeirError(
      'INVALID_PARALLELISM',
      `${describeTransformation(source)} has parallelism ${parallelism}, more than the job's max parallelism ${settings.maxParallelism} (setMaxParallelism)`,
    );
  }
  for (const operator of operators) if (operator.parallelism !== undefined) checkChainedParallelism(operator, operator.parallelism);
  const descriptors = new Map<Transformation, OperatorDescriptor>();
  for (const transformation of [source, ...operators]) descriptors.set(transformation, describe(transformation));
  const splits = source.planSplits(parallelism);
  const vertex: JobVertex = {
    id: operatorId(source),
    name: [source, ...operators].map((transformation) => transformation.name).join(' -> '),
    parallelism,
    operators: [...descriptors.values()],
    inputs: [],
    ...(splits ? { splits } : {}),
    bounded: source.bounded,
  };
  return { vertex, source, operators, descriptors, consumers };
}

/** The descriptor: data only. A chained operator's config names its input, so fan-outs are visible. */
function describe(transformation: Transformation): OperatorDescriptor {
  const config = transformation.role === 'source' ? { ...transformation.config } : { ...transformation.config, input: operatorId(transformation.input) };
  return { id: operatorId(transformation), kind: transformation.kind, name: transformation.name, config };
}

function checkUniqueIds(transformations: readonly Transformation[]): void {
  const seen = new Map<string, Transformation>();
  for (const transformation of transformations) {
    const id = operatorId(transformation);
    const earlier = seen.get(id);
    if (earlier) {
      throw new WeirError(
        'DUPLICATE_OPERATOR_ID',
        `operator "${transformation.name}" and operator "${earlier.name}" both have id "${id}": give each a unique uid()`,
      );
    }
    seen.set(id, transformation);
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
