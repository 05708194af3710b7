// The seam between the cluster's Task actor and the user's pipeline: the Task loads the job module,
// plans it (runs the module's default export against a planning environment, which records every
// operator's functions by stable id), then drives one subtask of one vertex step by step from its
// mailbox. Nothing here knows about actors; cluster/ drives it.
import type { ExecutionAttemptId, JobId } from '../../messages/ids.ts';
import type { InputSplit, JobGraph, JobVertex } from '../../messages/job-graph.ts';
import type { SubtaskWatermarks } from '../../messages/watermarks.ts';
import type { WatermarkStatus } from '../eventtime/watermark.ts';
import type { CheckpointBarrier, CheckpointResponder, SubtaskSnapshot } from './checkpointing/snapshot.ts';
import type { ProcessingTimeService } from './time/timer-service.ts';
import type { SubtaskMetricRegistry } from './metrics/metric-group.ts';

/** What the Task gives a running subtask. */
export interface SubtaskContext {
  readonly jobId: JobId;
  readonly jobName: string;
  readonly executionAttemptId: ExecutionAttemptId;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attemptNumber: number;
  /** Asks the JobManager for the next split of this vertex; null when none are left. */
  requestSplit(): Promise<InputSplit | null>;
  /** Where print() writes; the TaskManager's stdout by default. */
  readonly stdout: (line: string) => void;
  /** One gate per input edge of the vertex, in `vertex.inputs` order (empty for a source vertex). */
  readonly inputs: readonly InputGate[];
  /** One writer per edge leaving the vertex, in `outputEdges(graph, vertex.id)` order. */
  readonly outputs: readonly OutputWriter[];
  /** The task's clock and processing-time timers; callbacks run as mail between steps. */
  readonly processingTimeService: ProcessingTimeService;
  /** Where the subtask reports its checkpoints; absent when the job does not checkpoint. */
  readonly checkpointResponder?: CheckpointResponder;
  /** The state this subtask starts from (a restart from a checkpoint, a savepoint); absent on a fresh start. */
  readonly restoredState?: SubtaskSnapshot;
  /** Where its operators' user metrics are registered (getMetricGroup()); absent: each operator keeps its own, unread. */
  readonly metrics?: SubtaskMetricRegistry;
  /** With restoredState: state of an operator this chain lacks is skipped instead of failing (weir run -s --allowNonRestoredState). */
  readonly allowNonRestoredState?: boolean;
  /**
   * Periodic checkpoints: a sink chain with a transactional sink that ends waits for a checkpoint
   * taken after its end and commits there (Flink's final checkpoint), not at the end of its input.
   */
  readonly finalCheckpoint?: boolean;
}

/** An event in a batch, in order with its records: a watermark (ms), a watermark status or a checkpoint barrier. */
export type StreamEvent = number | WatermarkStatus | CheckpointBarrier;

/**
 * Stream elements of one channel, in the order that channel sent them: records with their event
 * timestamps, and the events between them. Built by a subpartition, encoded once for a remote channel.
 */
export interface RecordBatch {
  readonly records: readonly unknown[];
  /** Each record's event timestamp (undefined where it has none); null when no record has one. */
  readonly timestamps: readonly (number | undefined)[] | null;
  /**
   * Flat pairs [position, event, position, event, ...], positions ascending: each event comes just
   * before records[position] (position = records.length: after the last record). null when none.
   * Decoded off the wire, so the reader checks each event is a StreamEvent.
   */
  readonly events: readonly (number | string | CheckpointBarrier)[] | null;
}

/** A batch of one upstream channel. */
export interface InputBatch {
  readonly kind: 'batch';
  readonly channel: number;
  readonly batch: RecordBatch;
}

/** A channel delivered its last batch: its watermark is the end of event time from now on. */
export interface InputChannelEnd {
  readonly kind: 'end';
  readonly channel: number;
}

/** What an input gate hands out (checkpoint barriers travel inside batches, as events). */
export type InputElement = InputBatch | InputChannelEnd;

/** An event that overtook the batches queued in its channel (an unaligned checkpoint's barrier). */
export interface InputPriorityEvent {
  readonly channel: number;
  /** Off the wire: the reader checks it is a CheckpointBarrier. */
  readonly event: unknown;
  /** The channel's batches it overtook, still queued there (they are handed out as usual). */
  readonly overtaken: readonly RecordBatch[];
}

/**
 * The receiving end of one input edge: one channel per upstream subtask. Credit-based: a channel
 * holds at most a few batches; polling one returns its credit to the sender.
 */
export interface InputGate {
  readonly channels: number;
  /** The next element from any channel (round robin), or undefined when none is ready now; each channel's end once, after its last batch. */
  poll(): InputElement | undefined;
  /** True once every channel has ended and everything (each channel's end too) was polled. */
  readonly finished: boolean;
  /** Settles when poll() may return something or the gate has finished. Calls before it settles share one promise. */
  whenAvailable(): Promise<void>;
  /**
   * Aligned checkpoints: poll() skips the channel (it keeps its batches, so its credit stops and
   * backpressure holds its producer) until resumeChannel(). Idempotent.
   */
  blockChannel(channel: number): void;
  /** Hands out the channel's batches again. Idempotent. */
  resumeChannel(channel: number): void;
  /** Unaligned checkpoints: the next priority event of any channel (blocked or not), or undefined. */
  pollPriority?(): InputPriorityEvent | undefined;
  /** Called, outside the reader's turn, whenever a priority event arrives (the reader polls it on its turn). */
  setPriorityListener?(listener: () => void): void;
}

/**
 * The sending end of one output edge: one subpartition per downstream subtask. Records are batched
 * per subpartition; a batch goes out when full, at the buffer timeout, or on flush(); a
 * subpartition without credit queues a bounded number of batches, and then `available` turns false:
 * the subtask must stop taking input until whenAvailable() settles (backpressure).
 */
export interface OutputWriter {
  readonly channels: number;
  emit(channel: number, record: unknown, timestamp: number | undefined): void;
  /** Every channel gets the record. */
  broadcast(record: unknown, timestamp: number | undefined): void;
  /** Every channel gets the event, after the records emitted before it. */
  broadcastEvent(event: StreamEvent): void;
  /**
   * Unaligned checkpoints: every channel gets the barrier ahead of the batches waiting there, which
   * are still sent after it; returns them per channel (the output's in-flight data). Absent: the
   * barrier goes in order (broadcastEvent) and overtakes nothing.
   */
  broadcastPriorityEvent?(barrier: CheckpointBarrier): readonly (readonly RecordBatch[])[];
  /** A restore from an unaligned checkpoint: `batches` leave on `channel` before anything emitted. */
  restoreInFlight?(channel: number, batches: readonly RecordBatch[]): void;
  readonly available: boolean;
  whenAvailable(): Promise<void>;
  /** Sends every partial batch now. */
  flush(): void;
  /** Flushes and ends every subpartition (end of input); no emit after it. */
  finish(): void;
}

/**
 * The result of one step. 'more': call step() again (after other mail). 'wait': call step() again
 * once `until` settles (a split request, an idle unbounded source). 'finished': end of input reached
 * and everything flushed.
 */
export type StepResult =
  | { readonly kind: 'more' }
  // waitingFor (metrics): 'output' is backpressure (an output writer has no room), 'input' idleness
  // (nothing to read, a split on its way); absent, the subtask's own work (an async call, a sink's flush) is busy.
  | { readonly kind: 'wait'; readonly until: Promise<unknown>; readonly waitingFor?: 'input' | 'output' }
  | { readonly kind: 'finished' };

/** One subtask of one vertex: its operator chain, from its source (or input) to its sinks. */
export interface RunnableSubtask {
  /** Opens every operator of the chain (rich functions' open(), sink files). */
  open(): Promise<void>;
  /** Processes at most `maxRecords` records; never blocks the thread for longer than that. */
  step(maxRecords: number): StepResult;
  /**
   * Runs a processing-time callback of one of its operators (the Task's mail, between steps). Does
   * nothing unless running (not once the input ended); throws what the callback threw, naming the
   * operator, and fails the subtask.
   */
  runMail(callback: () => void): void;
  /**
   * Its event time now (weir info): the head operator's watermark, the last one sent downstream, each
   * input's valve and channels, a source's splits. Read on request from what the chain keeps anyway;
   * call it on the Task's turn, in any phase.
   */
  inspectWatermarks(): SubtaskWatermarks;
  /**
   * A source subtask (no input gates): take a snapshot now, between steps, send the barrier on every
   * output and report to the context's checkpointResponder. A subtask fed by network edges gets its
   * barriers in its input instead and ignores this. Only while running; otherwise it declines.
   */
  triggerCheckpoint(barrier: CheckpointBarrier): void;
  /**
   * A source subtask stops reading (after a stop-with-savepoint's barrier): it emits nothing more
   * while it waits to be cancelled; mail still runs. A subtask fed by network edges ignores it.
   */
  suspend(): void;
  /** The checkpoint is complete (every task acknowledged): transactional sinks commit. May return a promise the Task waits for. */
  notifyCheckpointComplete(checkpointId: number): Promise<void> | null;
  /** The checkpoint was aborted: operators drop what they prepared for it; an alignment for it ends. */
  notifyCheckpointAborted(checkpointId: number): void;
  /** Stops producing; a later close() releases resources. Idempotent. */
  cancel(): void;
  /** Closes every operator (flushes sinks). Called once, after 'finished' or after cancel(). */
  close(): Promise<void>;
}

/** A source's split enumerator as the JobManager drives it (see sources/source.ts). */
export interface SplitEnumeratorRuntime {
  /** The next split for that subtask, or null when it gets no more; rejects with a WeirError naming the source. */
  nextSplit(subtaskIndex: number): Promise<InputSplit | null>;
  close(): Promise<void>;
}

/** A planned job: the graph and, for the Task, a way to make a subtask of any of its vertices. */
export interface JobPlan {
  readonly graph: JobGraph;
  createSubtask(vertex: JobVertex, context: SubtaskContext): RunnableSubtask;
  /** For the JobManager: the enumerator of a vertex marked `enumeratedSplits`. */
  createSplitEnumerator(vertex: JobVertex): SplitEnumeratorRuntime;
}
