// The collect protocol: how the records of a collect sink (executeAndCollect, toObservable) reach the
// client that started the job, when they cross processes.
// Collect sink subtask (a TaskManager) -> the client's collect receiver: CollectBatch, answered by
//   CollectAck once the client's buffer has room for more (the sink keeps few batches unacknowledged,
//   so a client that reads slowly holds the job back instead of growing its memory).
import type { ActorRef } from './actor-ref.ts';
import { registerMessages } from './registry.ts';
import { actorRef, arrayOf, count, message, string, unknownValue, validators } from './schema.ts';

export type CollectMsg = CollectBatch;

export interface CollectBatch {
  readonly type: 'CollectBatch';
  /** The collect sink's operator id. */
  readonly operatorId: string;
  readonly subtaskIndex: number;
  /** Per sink subtask, from 0: the receiver acknowledges by it. */
  readonly sequence: number;
  readonly records: readonly unknown[];
  readonly replyTo: ActorRef<CollectAck>;
}

export interface CollectAck {
  readonly type: 'CollectAck';
  readonly sequence: number;
}

// The records are the job's data: their array is checked, not each record (O(1) per batch).
export const CollectBatchSchema = message<CollectBatch>('CollectBatch', {
  operatorId: string,
  subtaskIndex: count,
  sequence: count,
  records: arrayOf(unknownValue),
  replyTo: actorRef(),
});
export const CollectAckSchema = message<CollectAck>('CollectAck', { sequence: count });

registerMessages(validators([CollectBatchSchema, CollectAckSchema]));
