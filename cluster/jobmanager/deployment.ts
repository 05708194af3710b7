// Where a subtask's inputs come from and where its outputs go, for its deployment descriptor. With
// slot sharing, subtask i of every vertex runs in slot i, so a producer's location is its slot's.
import { describeOperator } from '../../api/runtime/chain.ts';
import { partitionKey } from '../taskmanager/network/network-environment.ts';
import type { JobId } from '../../messages/ids.ts';
import { type JobGraph, type JobVertex, type OutputEdge, outputEdges } from '../../messages/job-graph.ts';
import type { AllocatedSlot } from '../../messages/resource-manager.ts';
import type { InputGateDeployment, ResultPartitionDeployment } from '../../messages/task-manager.ts';

/** The default buffer timeout, as Flink's execution.buffer-timeout. */
export const DEFAULT_BUFFER_TIMEOUT_MS = 100;

export interface SubtaskIo {
  readonly inputs: readonly InputGateDeployment[];
  readonly outputs: readonly ResultPartitionDeployment[];
}

/** The attempt number of a subtask's current execution: partitions are named by their producer's attempt. */
export type AttemptOf = (vertexId: string, subtaskIndex: number) => number;

export function subtaskIo(jobId: JobId, graph: JobGraph, vertex: JobVertex, subtaskIndex: number, slots: readonly AllocatedSlot[], attemptOf: AttemptOf): SubtaskIo {
  const byId = new Map(graph.vertices.map((v) => [v.id, v]));
  const inputs = vertex.inputs.map((edge, inputIndex): InputGateDeployment => {
    const producer = byId.get(edge.sourceVertexId);
    if (!producer) throw new Error(`vertex "${vertex.name}" reads from unknown vertex "${edge.sourceVertexId}"`);
    return {
      channels: Array.from({ length: producer.parallelism }, (_, producerSubtask) => {
        const slot = slots[producerSubtask];
        return {
          partitionKey: partitionKey(jobId, producer.id, producerSubtask, attemptOf(producer.id, producerSubtask), vertex.id, inputIndex),
          subpartition: subtaskIndex,
          resourceId: slot.resourceId,
          dataAddress: slot.dataAddress ?? null,
        };
      }),
    };
  });
  const outputs = outputEdges(graph, vertex.id).map((out): ResultPartitionDeployment => {
    const target = byId.get(out.targetVertexId) as JobVertex;
    return {
      partitionKey: partitionKey(jobId, vertex.id, subtaskIndex, attemptOf(vertex.id, subtaskIndex), target.id, target.inputs.indexOf(out.edge)),
      subpartitions: out.targetParallelism,
      producer: describeEdgeProducer(vertex, out, target),
    };
  });
  return { inputs, outputs };
}

/**
 * Who writes into an edge, for the errors of its channels (a record that cannot be encoded):
 * `operator "Tokenize" (id "flat-map-1") of "Source: Lines -> Tokenize" sending to "Count"`.
 */
export function describeEdgeProducer(vertex: JobVertex, out: OutputEdge, target: JobVertex): string {
  const { sourceOperatorId, outputTag } = out.edge;
  const operator = vertex.operators.find((candidate) => candidate.id === sourceOperatorId);
  const writer = operator ? describeOperator(operator) : `operator id "${sourceOperatorId}"`;
  const output = outputTag === undefined ? '' : ` (side output "${outputTag}")`;
  return `${writer}${output} of "${vertex.name}" sending to "${target.name}"`;
}
