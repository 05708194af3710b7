// Builds one subtask's operator chain from a planned vertex: every operator gets its own instance
// (user classes are instantiated here, once per subtask), wired tail first so each operator is built
// with the outputs it calls. An operator's output fans out to its chained consumers and to the
// partitioners of the network edges that leave the vertex from it (main output or side output).
// The head is a source reader, or a NetworkInput over the subtask's input gates.
import { WeirError } from '../../messages/errors.ts';
import { type JobGraph, outputEdges } from '../../messages/job-graph.ts';
import { DEFAULT_AUTO_WATERMARK_INTERVAL_MS } from '../eventtime/watermark.ts';
import type { PlannedVertex } from '../graph/job-graph-builder.ts';
import type { StreamNode } from '../graph/stream-nodes.ts';
import type { PartitionTransformation } from '../graph/transformation.ts';
import { type ChainOperator, type ChainTracker, DISCARDING_OUTPUT, FanOutOutput, type OperatorRuntime, type Output, describeOperator, secondInputOf } from './chain.ts';
import { NetworkInput } from './network-input.ts';
import { OperatorRuntimeContext } from './operator-runtime-context.ts';
import { createPartitioner } from './partitioners/create.ts';
import type { Partitioner } from './partitioners/partitioner.ts';
import type { SourceReader } from './source-reader.ts';
import type { OutputWriter, SubtaskContext } from './subtask.ts';

export interface BuiltChain {
  /** The source reader, or the NetworkInput of a vertex fed by edges. */
  readonly input: SourceReader;
  /** The operators that are not a source, in topological order (head first). */
  readonly operators: readonly ChainOperator<unknown>[];
  /** The subtask's writers, one per edge leaving the vertex. */
  readonly outputs: readonly OutputWriter[];
  /** The partitioner over each writer, in the same order: they know the last watermark sent. */
  readonly partitioners: readonly Partitioner[];
  readonly tracker: ChainTracker;
}

/** What the plan knows beyond the vertex: the whole graph and the partitioners of its edges. */
export interface ChainPlanContext {
  readonly graph: JobGraph;
  readonly partitioners: ReadonlyMap<string, PartitionTransformation>;
}

export function buildChain(planned: PlannedVertex, plan: ChainPlanContext, subtask: SubtaskContext): BuiltChain {
  const { vertex, nodes } = planned;
  const edges = outputEdges(plan.graph, vertex.id);
  if (subtask.inputs.length !== vertex.inputs.length || subtask.outputs.length !== edges.length) {
    throw new WeirError(
      'PLAN_MISMATCH',
      `vertex "${vertex.id}" has ${vertex.inputs.length} input edges and ${edges.length} output edges, ` +
        `but its subtask was given ${subtask.inputs.length} input gates and ${subtask.outputs.length} output writers`,
    );
  }
  const tracker: ChainTracker = { current: null };
  const { network, partitioners } = networkOutputs(plan, edges, subtask, tracker);
  const built = new Map<StreamNode, ChainOperator<unknown>>();
  const outputOf = (node: StreamNode, tag: string | undefined): Output<unknown> => {
    const outputs: Output<unknown>[] = [];
    for (const edge of planned.chainedOutputs.get(node) ?? []) {
      if (edge.outputTag === tag) outputs.push(built.get(edge.target) as ChainOperator<unknown>);
    }
    outputs.push(...(network.get(outputKey(node.id, tag)) ?? []));
    if (outputs.length === 0) return DISCARDING_OUTPUT;
    return outputs.length === 1 ? outputs[0] : new FanOutOutput(outputs, plan.graph.objectReuse === true);
  };
  // Watermarks reach every consumer of an operator, of its main and of its side outputs (as Flink's).
  const eventOutputOf = (node: StreamNode): Output<unknown> => {
    const outputs = new Set<Output<unknown>>();
    for (const edge of planned.chainedOutputs.get(node) ?? []) outputs.add(built.get(edge.target) as ChainOperator<unknown>);
    for (const [key, partitioned] of network) if (key === node.id || key.startsWith(`${node.id}\u0000`)) for (const output of partitioned) outputs.add(output);
    if (outputs.size === 0) return DISCARDING_OUTPUT;
    return outputs.size === 1 ? [...outputs][0] : new FanOutOutput([...outputs]);
  };
  const runtimeOf = (node: StreamNode): OperatorRuntime => {
    const descriptor = planned.descriptors.get(node);
    if (!descriptor) throw new Error(`no descriptor for operator ${node.id}`);
    const sideOutputs = new Map<string, Output<unknown>>();
    const sideOutput = (tag: string): Output<unknown> => {
      let output = sideOutputs.get(tag);
      if (output === undefined) sideOutputs.set(tag, (output = outputOf(node, tag)));
      return output;
    };
    const { runtimeMode, autoWatermarkIntervalMs = DEFAULT_AUTO_WATERMARK_INTERVAL_MS, objectReuse = false } = plan.graph;
    const runtimeContext = new OperatorRuntimeContext(subtask, descriptor.name, describeOperator(descriptor));
    return { descriptor, tracker, subtask, runtimeContext, runtimeMode, autoWatermarkIntervalMs, objectReuse, sideOutput, eventOutput: eventOutputOf(node) };
  };
  for (let index = nodes.length - 1; index >= 0; index--) {
    const node = nodes[index];
    if (node.createOperator) built.set(node, node.createOperator(runtimeOf(node), outputOf(node, undefined)));
  }
  const head = nodes[0];
  const operators = nodes.filter((node) => built.has(node)).map((node) => built.get(node) as ChainOperator<unknown>);
  if (head.source) {
    return { input: head.source.createReader(runtimeOf(head), outputOf(head, undefined)), operators, outputs: subtask.outputs, partitioners, tracker };
  }
  const headOperator = built.get(head) as ChainOperator<unknown>;
  const secondInput = secondInputOf(headOperator);
  const targets = vertex.inputs.map((edge): Output<unknown> => {
    if (edge.targetInput === 0) return headOperator;
    if (edge.targetInput === 1 && secondInput) return secondInput;
    throw new WeirError('PLAN_MISMATCH', `vertex "${vertex.id}" has an edge into input ${edge.targetInput} of operator "${head.id}", which has no such input`);
  });
  const input = new NetworkInput(subtask.inputs, targets, subtask.outputs, tracker, vertex.inputs);
  return { input, operators, outputs: subtask.outputs, partitioners, tracker };
}

function outputKey(operatorId: string, tag: string | undefined): string {
  return tag === undefined ? operatorId : `${operatorId}\u0000${tag}`;
}

/** The partitioner over each writer, in edge order and grouped by the operator (and side output) that feeds it. */
function networkOutputs(
  plan: ChainPlanContext,
  edges: ReturnType<typeof outputEdges>,
  subtask: SubtaskContext,
  tracker: ChainTracker,
): { network: Map<string, Output<unknown>[]>; partitioners: Partitioner[] } {
  const context = { subtaskIndex: subtask.subtaskIndex, parallelism: subtask.parallelism, maxParallelism: subtask.maxParallelism, tracker, objectReuse: plan.graph.objectReuse === true };
  const network = new Map<string, Output<unknown>[]>();
  const partitioners: Partitioner[] = [];
  edges.forEach(({ edge, targetVertexId }, index) => {
    const target = plan.graph.vertices.find((candidate) => candidate.id === targetVertexId)?.operators[0];
    if (!target) throw new WeirError('PLAN_MISMATCH', `an edge leads to vertex "${targetVertexId}", which this plan of the job does not have`);
    const partitioner = edge.partitionerId === undefined ? undefined : plan.partitioners.get(edge.partitionerId);
    const output = createPartitioner(edge, subtask.outputs[index], context, partitioner, target);
    partitioners.push(output);
    const key = outputKey(edge.sourceOperatorId, edge.outputTag);
    const outputs = network.get(key);
    if (outputs) outputs.push(output);
    else network.set(key, [output]);
  });
  return { network, partitioners };
}
