// What a checkpoint is made of on the task side (Flink's asynchronous barrier snapshots): the barrier
// that travels in order with records and watermarks, and the plain, msgpack-encodable snapshot of one
// subtask that the Task writes to the checkpoint directory and acknowledges to the JobManager.
//
// Snapshots are keyed by operator id (`OperatorDescriptor.id`, stable across runs of one job module,
// and `.uid()` where given), and keyed state by key group, so a restore (at the same parallelism, or
// at another one: rescale.ts) hands every key group to the subtask that owns it.
//
// Taken vs written: what snapshotState() returns (TakenOperatorSnapshot) may still hold a keyed
// operator's key groups by reference (copy-on-write, HeldKeyGroups); the Task captures them after the
// synchronous part (async-snapshot.ts). What a file holds and a restore reads is OperatorSnapshot.
import type { CheckpointingMode } from '../../../messages/job-graph.ts';
import type { CapturedKeyGroupState } from '../../state/captured-key-group.ts';
import type { KeyGroupSnapshot } from '../../state/keyed-state-backend.ts';
import type { OperatorStateSnapshot } from '../../state/operator-state.ts';
import type { TimerKeyGroupSnapshot } from '../time/heap-timer-service.ts';
import type { EncodedKeyGroup } from './snapshot-codec.ts';

export type { CheckpointingMode };

/**
 * A checkpoint barrier, as an event in a RecordBatch (after every record sent before the checkpoint,
 * before every record sent after it). Plain data: it crosses the wire inside a batch frame.
 */
export interface CheckpointBarrier {
  readonly kind: 'barrier';
  /** Ascending per job, from 1. */
  readonly checkpointId: number;
  /** When the coordinator triggered it (ms since the epoch). */
  readonly timestamp: number;
  readonly mode: CheckpointingMode;
  /** A savepoint (the user asked for it) rather than a periodic checkpoint. */
  readonly savepoint: boolean;
  /**
   * `weir stop --drain` (Flink's MAX_WATERMARK before a terminating savepoint): each subtask first
   * advances every operator to the end of event time (event-time timers fire, open windows emit, in
   * chain order), then snapshots, so the records that drain emits precede the barrier downstream.
   */
  readonly drain?: boolean;
  /**
   * An unaligned checkpoint (FLIP-76): the barrier overtakes the batches queued in each subpartition
   * and input channel, which join the snapshot as in-flight data (InFlightSnapshot). EXACTLY_ONCE only.
   */
  readonly unaligned?: boolean;
  /**
   * Aligned, but a subtask whose alignment has lasted this long since `timestamp` switches to
   * unaligned and sends the barrier on as `unaligned` (Flink's aligned checkpoint timeout).
   */
  readonly alignedCheckpointTimeoutMs?: number;
}

/** The barrier a subtask sends on once its checkpoint switched to unaligned. */
export function asUnaligned(barrier: CheckpointBarrier): CheckpointBarrier {
  const { kind, checkpointId, timestamp, mode, savepoint, drain } = barrier;
  return { kind, checkpointId, timestamp, mode, savepoint, ...(drain === undefined ? {} : { drain }), unaligned: true };
}

/** Keyed state and timers of one key group of one operator. */
export interface OperatorKeyGroupSnapshot {
  readonly keyGroup: number;
  readonly state: KeyGroupSnapshot | null;
  readonly timers: TimerKeyGroupSnapshot | null;
}

/** One key group of a keyed operator as an asynchronous snapshot captures it; encoded at once, the file embeds it (snapshot-codec.ts). */
export interface CapturedKeyGroup {
  readonly keyGroup: number;
  readonly state: CapturedKeyGroupState | null;
  readonly timers: TimerKeyGroupSnapshot | null;
}

/**
 * A keyed operator's key groups held by a snapshot (copy-on-write, state/key-group-guard.ts): each is
 * captured before the task changes it, or by captureUntil, whichever comes first.
 */
export interface HeldKeyGroups {
  /** Captures the groups not captured yet, in order, until performance.now() passes `deadline`; true once all are. */
  captureUntil(deadline: number): boolean;
  /** Once captureUntil returned true: the groups that hold state or timers, in key group order. */
  captured(): readonly EncodedKeyGroup[];
  /** Lets go of every group not captured (done, aborted or cancelled): the task's writes stop capturing. Idempotent. */
  release(): void;
}

/** One operator's part of a subtask snapshot. Every field is optional: an operator writes what it has. */
export interface OperatorSnapshot {
  /** Keyed operators: one entry per key group of the subtask's range that holds state or timers. */
  readonly keyGroups?: readonly OperatorKeyGroupSnapshot[];
  /** Operators that run a user function: its operator state (list, union list, broadcast). */
  readonly operatorState?: OperatorStateSnapshot;
  /** The operator's current (input) watermark: a restored operator resumes at it. */
  readonly watermark?: number;
  /** What only this kind of operator knows (async calls in flight, a sink's pending transactions). */
  readonly extra?: unknown;
}

/** A source reader's position, for a source vertex. */
export interface SourceSnapshot {
  /**
   * How many splits this subtask had received from the JobManager when the snapshot was taken: on
   * restore the JobManager hands out again every split it assigned to the subtask after those.
   */
  readonly splitsReceived: number;
  /** The splits it still reads and where in each (reader-specific, plain data). */
  readonly splits: readonly SplitPosition[];
  /** Reader-specific state beyond its splits (e.g. a connector Source's snapshotState()). */
  readonly extra?: unknown;
  /** The watermark the reader had emitted. */
  readonly watermark?: number;
}

/** One split a source reader had not finished, and how far it got. */
export interface SplitPosition {
  /** InputSplit.index (a static split) or the connector split's id. */
  readonly split: number | string;
  /** The split itself, so that a restore does not depend on the JobManager still having it. */
  readonly payload: unknown;
  /** Records (or bytes, for files) of the split already emitted; reader-specific. */
  readonly offset: number;
}

/** What an operator's snapshotState() returns: its key groups may still be held (captured after the synchronous part). */
export interface TakenOperatorSnapshot extends Omit<OperatorSnapshot, 'keyGroups'> {
  readonly keyGroups?: readonly OperatorKeyGroupSnapshot[] | HeldKeyGroups;
}

/** A subtask's snapshot at the end of its synchronous part (see TakenOperatorSnapshot). */
export interface TakenSubtaskSnapshot {
  readonly checkpointId: number;
  readonly operators: Readonly<Record<string, TakenOperatorSnapshot>>;
  readonly source?: SourceSnapshot;
  /** An unaligned checkpoint's in-flight data (SubtaskSnapshot.inFlight), already encoded batch by batch. */
  readonly inFlight?: InFlightSnapshot;
}

/** One subtask's state at one checkpoint. */
export interface SubtaskSnapshot {
  readonly checkpointId: number;
  /** Per operator id of the chain. */
  readonly operators: Readonly<Record<string, OperatorSnapshot>>;
  /** The source reader's position; absent for a vertex fed by network edges. */
  readonly source?: SourceSnapshot;
  /** An unaligned checkpoint: the data that was in flight at the subtask's inputs and outputs; absent when aligned. */
  readonly inFlight?: InFlightSnapshot;
}

/**
 * What an unaligned checkpoint keeps of the data in flight: a restore replays the input part before
 * reading the network, and sends the output part before anything it produces. Each batch is encoded
 * when it is recorded (snapshot-codec.ts encodeBatch), so processing its records later cannot change it.
 */
export interface InFlightSnapshot {
  /** Per input channel (numbered over every gate, gate after gate): its batches before the barrier that the snapshot had not processed. */
  readonly input: readonly InFlightChannel[];
  /** Per output writer and subpartition: the batches the barrier overtook there. */
  readonly output: readonly InFlightSubpartition[];
}

export interface InFlightChannel {
  readonly channel: number;
  /** Encoded batches, in the order the channel delivered them. */
  readonly batches: readonly Uint8Array[];
}

export interface InFlightSubpartition {
  /** The writer's index in the subtask's outputs (`outputEdges` order). */
  readonly output: number;
  readonly subpartition: number;
  /** Encoded batches, in the order they were to be sent. */
  readonly batches: readonly Uint8Array[];
}

/** Where a subtask reports its part of a checkpoint (the Task: it runs the asynchronous part, writes the file, then acknowledges). */
export interface CheckpointResponder {
  /** The subtask took its snapshot's synchronous part (`syncMs`, on the task's turn) and sent the barrier on. */
  acknowledge(barrier: CheckpointBarrier, snapshot: TakenSubtaskSnapshot, syncMs: number): void;
  /** The subtask cannot take part (e.g. an alignment was cancelled by a newer barrier); the checkpoint aborts. */
  decline(checkpointId: number, reason: string): void;
}

/** What an operator is told when it snapshots. */
export interface SnapshotContext {
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly savepoint: boolean;
}

export function isCheckpointBarrier(event: unknown): event is CheckpointBarrier {
  if (typeof event !== 'object' || event === null) return false;
  const barrier = event as Partial<CheckpointBarrier>;
  return (
    barrier.kind === 'barrier' &&
    Number.isSafeInteger(barrier.checkpointId) &&
    (barrier.checkpointId as number) > 0 &&
    Number.isFinite(barrier.timestamp) &&
    (barrier.mode === 'EXACTLY_ONCE' || barrier.mode === 'AT_LEAST_ONCE') &&
    typeof barrier.savepoint === 'boolean' &&
    (barrier.drain === undefined || typeof barrier.drain === 'boolean') &&
    (barrier.unaligned === undefined || typeof barrier.unaligned === 'boolean') &&
    (barrier.alignedCheckpointTimeoutMs === undefined || (Number.isFinite(barrier.alignedCheckpointTimeoutMs) && barrier.alignedCheckpointTimeoutMs > 0))
  );
}
