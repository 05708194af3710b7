// Makes the Output a chain's exit writes into for one edge leaving the vertex: the edge's
// partitioner over that edge's OutputWriter.
import { WeirError } from '../../../messages/errors.ts';
import type { JobEdge, OperatorDescriptor } from '../../../messages/job-graph.ts';
import type { PartitionTransformation } from '../../graph/transformation.ts';
import type { ChainTracker } from '../chain.ts';
import type { OutputWriter } from '../subtask.ts';
import { BroadcastPartitioner } from './broadcast.ts';
import { CustomPartitioner } from './custom.ts';
import { ForwardPartitioner } from './forward.ts';
import { GlobalPartitioner } from './global.ts';
import { HashPartitioner } from './hash.ts';
import type { Partitioner } from './partitioner.ts';
import { RebalancePartitioner } from './rebalance.ts';
import { RescalePartitioner } from './rescale.ts';
import { ShufflePartitioner } from './shuffle.ts';

export interface PartitionerContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly tracker: ChainTracker;
  /** env.enableObjectReuse(): a broadcast hands every channel the same object. */
  readonly objectReuse?: boolean;
}

/**
 * `partitioner` is the plan's partitioning step for 'hash' and 'custom' edges; `target` is the
 * operator at the head of the receiving vertex (named in key errors).
 */
export function createPartitioner(
  edge: JobEdge,
  writer: OutputWriter,
  context: PartitionerContext,
  partitioner: PartitionTransformation | undefined,
  target: OperatorDescriptor,
): Partitioner {
  switch (edge.partitioning) {
    case 'forward':
      if (writer.channels !== context.parallelism) {
        throw new WeirError('PLAN_MISMATCH', `a forward edge to "${target.id}" has ${writer.channels} channels but its source has ${context.parallelism} subtasks`);
      }
      return new ForwardPartitioner(writer, context.subtaskIndex);
    case 'rebalance':
      return new RebalancePartitioner(writer, context.subtaskIndex);
    case 'rescale':
      return new RescalePartitioner(writer, context.subtaskIndex, context.parallelism);
    case 'shuffle':
      return new ShufflePartitioner(writer, context.subtaskIndex);
    case 'broadcast':
      return new BroadcastPartitioner(writer, context.objectReuse === true);
    case 'global':
      return new GlobalPartitioner(writer);
    case 'hash':
      return new HashPartitioner(writer, keySelectorOf(edge, partitioner), context.maxParallelism, context.tracker, target);
    case 'custom': {
      const partition = partitioner?.partition;
      if (!partition) throw missing(edge);
      return new CustomPartitioner(writer, keySelectorOf(edge, partitioner), partition, context.tracker, target);
    }
    default: {
      const unknown: never = edge.partitioning;
      throw new WeirError('PLAN_MISMATCH', `an edge to "${target.id}" has the unknown partitioning ${String(unknown)}`);
    }
  }
}

function keySelectorOf(edge: JobEdge, partitioner: PartitionTransformation | undefined): (value: unknown) => unknown {
  const selector = partitioner?.keySelector;
  if (!selector) throw missing(edge);
  return selector;
}

function missing(edge: JobEdge): WeirError {
  return new WeirError('PLAN_MISMATCH', `the ${edge.partitioning} edge from "${edge.sourceOperatorId}" names partitioner "${String(edge.partitionerId)}", which this plan of the job does not have`);
}
