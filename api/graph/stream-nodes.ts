// Declared transformations -> physical operators and the edges between them (Flink's StreamGraph:
// StreamNode, StreamEdge). Virtual steps are resolved away: a partitioning becomes the partitioning of
// the edges through it (the one nearest the consumer wins, as in Flink), a union becomes several
// edges into one input, a side output an edge carrying the tag. An edge without a partitioning is
// 'forward' between equal parallelisms and 'rebalance' otherwise. In BATCH mode a keyed reduction
// gets a combiner chained to each upstream operator, so partial results, not records, cross the shuffle.
import { WeirError } from '../../messages/errors.ts';
import type { Partitioning, RuntimeMode } from '../../messages/job-graph.ts';
import {
  type ChainingStrategy,
  type OperatorFactory,
  type OperatorTransformation,
  type PartitionTransformation,
  type PhysicalTransformation,
  type SourceTransformation,
  type Transformation,
  describeTransformation,
  operatorId,
} from './transformation.ts';

/** One operator of the job: a source, a one- or two-input operator, a sink, or a planned combiner. */
export interface StreamNode {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly role: 'source' | 'operator' | 'sink';
  readonly parallelism: number;
  readonly chaining: ChainingStrategy;
  /** Set for a source. */
  readonly source?: SourceTransformation;
  /** Set for every other operator. */
  readonly createOperator?: OperatorFactory;
  /** In creation order: input 0's edges first. */
  readonly inputs: StreamEdge[];
  readonly outputs: StreamEdge[];
  /** True when every source upstream of it (or it) is bounded. */
  readonly bounded: boolean;
}

export interface StreamEdge {
  readonly source: StreamNode;
  readonly target: StreamNode;
  /** 0, or 1 for the second input of a two-input operator. */
  readonly targetInput: number;
  readonly partitioning: Partitioning;
  /** Set when the edge carries a side output of `source`. */
  readonly outputTag?: string;
  /** 'hash' and 'custom': the partitioning step, whose id names the partitioner in the JobEdge. */
  readonly partitioner?: PartitionTransformation;
}

export interface StreamNodes {
  /** Topologically ordered: every node after its inputs. */
  readonly nodes: readonly StreamNode[];
  /** The 'hash' and 'custom' partitionings by id. */
  readonly partitioners: ReadonlyMap<string, PartitionTransformation>;
}

/** An input as seen from its consumer once virtual steps are resolved. */
interface ResolvedInput {
  readonly node: StreamNode;
  readonly partitioner?: PartitionTransformation;
  readonly outputTag?: string;
}

export function resolveStreamNodes(transformations: readonly Transformation[], runtimeMode: RuntimeMode): StreamNodes {
  const nodes: StreamNode[] = [];
  const byTransformation = new Map<PhysicalTransformation, StreamNode>();
  const partitioners = new Map<string, PartitionTransformation>();

  const resolve = (transformation: Transformation): ResolvedInput[] => {
    switch (transformation.role) {
      case 'partition':
        return resolve(transformation.input).map((input) => ({ ...input, partitioner: transformation }));
      case 'union':
        return transformation.inputs.flatMap(resolve);
      case 'side-output':
        return resolve(transformation.input).map((input) => ({ ...input, outputTag: transformation.tag }));
      default: {
        const node = byTransformation.get(transformation);
        if (!node) throw new Error(`${describeTransformation(transformation)} is used before it is declared`);
        return [{ node }];
      }
    }
  };

  for (const transformation of transformations) {
    if (transformation.role === 'source') {
      const node = newNode(transformation, { source: transformation, bounded: transformation.bounded });
      byTransformation.set(transformation, node);
      nodes.push(node);
    } else if (transformation.role === 'operator' || transformation.role === 'sink') {
      const inputs = transformation.inputs.map(resolve);
      const bounded = inputs.every((resolved) => resolved.every((input) => input.node.bounded));
      const node = newNode(transformation, { createOperator: transformation.createOperator, bounded });
      inputs.forEach((resolved, targetInput) => {
        const combine = runtimeMode === 'BATCH' && transformation.combiner !== undefined;
        const hashed = resolved.filter((input) => input.partitioner?.partitioning === 'hash').length;
        let combiners = 0;
        for (const input of resolved) {
          const partitioning = partitioningOf(input, node);
          if (input.partitioner && (partitioning === 'hash' || partitioning === 'custom')) {
            partitioners.set(operatorId(input.partitioner), input.partitioner);
          }
          if (combine && partitioning === 'hash') {
            const combiner = combinerNode(transformation, input.node, hashed > 1 ? `-${combiners++}` : '');
            connect(input.node, combiner, 0, 'forward', input.outputTag, undefined);
            connect(combiner, node, targetInput, partitioning, undefined, input.partitioner);
            nodes.push(combiner);
          } else {
            connect(input.node, node, targetInput, partitioning, input.outputTag, input.partitioner);
          }
        }
      });
      byTransformation.set(transformation, node);
      nodes.push(node);
    }
  }
  return { nodes, partitioners };
}

function newNode(transformation: PhysicalTransformation, fields: Pick<StreamNode, 'bounded'> & Partial<StreamNode>): StreamNode {
  return {
    id: operatorId(transformation),
    kind: transformation.kind,
    name: transformation.name,
    config: transformation.config,
    role: transformation.role,
    parallelism: transformation.parallelism,
    chaining: transformation.chaining,
    inputs: [],
    outputs: [],
    ...fields,
  };
}

/** The pre-aggregation of `reduction` for the records of `upstream`: same parallelism, chained to it. */
function combinerNode(reduction: OperatorTransformation, upstream: StreamNode, suffix: string): StreamNode {
  const spec = reduction.combiner as NonNullable<OperatorTransformation['combiner']>;
  return {
    id: `${operatorId(reduction)}-combiner${suffix}`,
    kind: spec.kind,
    name: `${reduction.name} (combiner)`,
    config: {},
    role: 'operator',
    parallelism: upstream.parallelism,
    chaining: 'always',
    createOperator: spec.createOperator,
    inputs: [],
    outputs: [],
    bounded: upstream.bounded,
  };
}

function partitioningOf(input: ResolvedInput, target: StreamNode): Partitioning {
  const declared = input.partitioner?.partitioning;
  const sameParallelism = input.node.parallelism === target.parallelism;
  if (declared === undefined) return sameParallelism ? 'forward' : 'rebalance';
  if (declared === 'forward' && !sameParallelism) {
    throw new WeirError(
      'INVALID_PARTITIONING',
      `forward partitioning needs the same parallelism on both sides, but operator "${input.node.name}" (id "${input.node.id}") has ${input.node.parallelism} ` +
        `and operator "${target.name}" (id "${target.id}") has ${target.parallelism}: use rebalance(), rescale(), shuffle(), broadcast() or global()`,
    );
  }
  return declared;
}

function connect(
  source: StreamNode,
  target: StreamNode,
  targetInput: number,
  partitioning: Partitioning,
  outputTag: string | undefined,
  partitioner: PartitionTransformation | undefined,
): void {
  const edge: StreamEdge = {
    source,
    target,
    targetInput,
    partitioning,
    ...(outputTag !== undefined ? { outputTag } : {}),
    ...(partitioner !== undefined && (partitioning === 'hash' || partitioning === 'custom') ? { partitioner } : {}),
  };
  source.outputs.push(edge);
  target.inputs.push(edge);
}
