// The RunnableSubtask of one chain: its input (a source reader or the network input over the input
// gates) and the operators behind it, driven step by step by the Task actor. One try/catch per step;
// the chain's tracker names the operator whose user code threw.
//
// Lifecycle: 'created' -> open() -> 'opening' -> 'running' -> (every input ended) 'draining'
// (operators emit what they held back, e.g. BATCH aggregates or the results of async calls still in
// flight, head first) -> 'ending' (every output writer finished, sinks write what they buffered) ->
// 'finished'; cancel() -> 'cancelled'; a throw from step() -> 'failed'; close() -> 'closed' from any
// of them, closing only what was opened. A sink chain with a transactional sink, with periodic
// checkpoints, goes from 'ending' to 'awaiting-final-checkpoint' (FLIP-147): its last transaction
// stays open until a checkpoint it takes there (the JobManager triggers it directly) completes and
// commits it; then 'finished'. Nothing else ends that wait but a cancel (the job stops, is
// cancelled or fails over, or its JobManager is lost: the open transaction is aborted) or a commit
// that fails ('failed'), as in Flink: the JobManager triggers checkpoints for as long as it runs the job.
//
// Backpressure: before taking any input (and before each drain call) a step checks every output
// writer; when one is not available it returns 'wait' on that writer, without reading.
// Async operators (mapAsync, an async sink): their calls complete between steps, so each step
// first lets them emit what completed (emitCompleted); one that still holds records it could not
// start makes the step wait for its next completion without reading. A step whose input has
// nothing now waits for input or for the next completion, whichever comes first.
// Checkpoints (checkpointing/chain-snapshot.ts): a source subtask snapshots when the Task triggers
// it, between steps; a subtask fed by network edges when its input's barriers align (its barrier
// listener calls performCheckpoint). Restored state reaches the operators in open(), before they open.
// Threading: none; every method runs on the Task's turn, and promise handlers only set the fields
// documented as theirs.
import { WeirError } from '../../messages/errors.ts';
import type { SubtaskWatermarks } from '../../messages/watermarks.ts';
import { MAX_WATERMARK } from '../eventtime/watermark.ts';
import type { BuiltChain } from './chain-builder.ts';
import { type AsyncChainOperator, isAsyncOperator, userFunctionError } from './chain.ts';
import { NetworkInput } from './network-input.ts';
import { notifyAborted, notifyComplete, restoreChain, snapshotChain } from './checkpointing/chain-snapshot.ts';
import type { CheckpointBarrier, TakenSubtaskSnapshot } from './checkpointing/snapshot.ts';
import { FinalCheckpoint } from './checkpointing/final-checkpoint.ts';
import { UnalignedSnapshots } from './checkpointing/unaligned-snapshots.ts';
import type { OutputWriter, RunnableSubtask, StepResult, SubtaskContext } from './subtask.ts';

type Phase = 'created' | 'opening' | 'running' | 'draining' | 'ending' | 'awaiting-final-checkpoint' | 'finished' | 'cancelled' | 'failed' | 'closed';

/** Phases in which operators hear that a checkpoint completed or was aborted: open, not failed, cancelled or closed. */
const NOTIFIED_PHASES: ReadonlySet<Phase> = new Set<Phase>(['running', 'draining', 'ending', 'awaiting-final-checkpoint', 'finished']);

const MORE: StepResult = { kind: 'more' };
const FINISHED: StepResult = { kind: 'finished' };

export class ChainSubtask implements RunnableSubtask {
  private phase: Phase = 'created';
  /** What step() threw; thrown again by every later step(). */
  private failure: unknown = undefined;
  /** What the next step waits for (a sink's backlog, the final flush); its handler clears it. */
  private waitingFor: Promise<void> | null = null;
  /** How `waitingFor` failed, if it did; set by its handler, thrown by the next step(). */
  private asyncFailure: { readonly error: unknown } | null = null;
  /** Operators whose open() was called, counted from the tail (they open tail first). */
  private openedOperators = 0;
  /** The operator whose emitFinal() runs while draining. */
  private drainIndex = 0;
  private cancelRequested = false;
  /** After the end of input of a sink chain with a transactional sink: the final checkpoint it waits for. */
  private readonly finalCheckpoint = new FinalCheckpoint();
  /** Set by suspend(): settles at cancel(), which ends the wait. */
  private suspended: Promise<void> | null = null;
  private endSuspension: (() => void) | null = null;
  /**
   * The chain's async operators, head first, listed once: a chain without any pays nothing per step.
   * A sinkTo() sink is one (its invoke() may return a promise); a synchronous one costs a call per step.
   */
  private readonly asyncOperators: readonly AsyncChainOperator[];
  /** Unaligned checkpoints: the barrier ahead of the outputs' data, and acknowledgements that wait for the in-flight input. */
  private readonly unaligned = new UnalignedSnapshots((barrier, snapshot, syncMs) => this.context?.checkpointResponder?.acknowledge(barrier, snapshot, syncMs));

  constructor(
    private readonly chain: BuiltChain,
    /** How errors about this subtask name it, e.g. `Source: Sequence -> Map (2/4)`. */
    private readonly label: string,
    /** The Task's context: where checkpoints are reported. */
    private readonly context?: SubtaskContext,
  ) {
    this.asyncOperators = chain.operators.filter(isAsyncOperator);
    // A vertex fed by network edges meets its barriers in its input: aligned, they snapshot the chain.
    if (chain.input instanceof NetworkInput) {
      chain.input.setBarrierListener({
        onBarrier: (barrier) => this.performCheckpoint(barrier),
        onAlignmentAborted: (checkpointId, reason) => {
          this.unaligned.drop(checkpointId);
          this.declineCheckpoint(checkpointId, `${this.label}: ${reason}`);
        },
        onInFlightRecorded: (checkpointId, input) => this.unaligned.inputRecorded(checkpointId, input),
      });
    }
  }

  async open(): Promise<void> {
    if (this.phase !== 'created') throw this.illegalState('open()', 'created');
    this.phase = 'opening';
    // Restored state first: a function's initializeState() and open() see it.
    const restored = this.context?.restoredState;
    if (restored !== undefined) restoreChain(this.chain, restored, this.label, this.context?.allowNonRestoredState === true);
    const operators = this.chain.operators;
    // Tail first, as Flink does: no operator receives a record before it is open.
    for (let index = operators.length - 1; index >= 0; index--) {
      this.openedOperators++;
      await operators[index].open();
    }
    await this.chain.input.open();
    if (this.phase === 'opening') this.phase = 'running';
  }

  step(maxRecords: number): StepResult {
    switch (this.phase) {
      case 'running':
      case 'draining':
      case 'ending':
        break;
      case 'awaiting-final-checkpoint': {
        const failure = this.asyncFailure ?? this.finalCheckpoint.failure;
        if (failure) throw this.fail(failure.error);
        // Another operator's end-of-input flush (an async sink of the chain) still runs: not finished yet.
        if (this.waitingFor) return { kind: 'wait', until: this.waitingFor };
        if (this.finalCheckpoint.committed) {
          this.phase = 'finished';
          return FINISHED;
        }
        return { kind: 'wait', until: this.waitingFor ?? this.finalCheckpoint.done, waitingFor: 'input' };
      }
      case 'failed':
        throw this.failure;
      case 'finished':
      case 'cancelled':
        return FINISHED;
      default:
        throw this.illegalState('step()', 'running');
    }
    if (this.waitingFor) return { kind: 'wait', until: this.waitingFor };
    // Suspended after a stop-with-savepoint's barrier: no more input until the cancel.
    if (this.suspended && this.phase === 'running') return { kind: 'wait', until: this.suspended, waitingFor: 'input' };
    try {
      if (this.asyncFailure) throw this.asyncFailure.error;
      if (this.phase === 'ending') {
        this.phase = 'finished';
        return FINISHED;
      }
      // An unaligned checkpoint's barrier is taken even while the outputs are full: that is its point.
      const input = this.chain.input;
      if (input instanceof NetworkInput && this.phase === 'running') input.processPriorityEvents();
      const blocked = this.blockedOutput();
      if (blocked) {
        const until = input instanceof NetworkInput ? Promise.race([blocked.whenAvailable(), input.whenPriorityEvent()]) : blocked.whenAvailable();
        return { kind: 'wait', until, waitingFor: 'output' };
      }
      if (this.asyncOperators.length > 0) {
        const holding = this.emitCompleted();
        if (holding) return this.waitFor(holding);
      }
      if (this.phase === 'draining') return this.drain(maxRecords);
      return this.readAndForward(maxRecords);
    } catch (error) {
      throw this.fail(error);
    }
  }

  runMail(callback: () => void): void {
    // Once the input ended no processing-time timer fires (Flink quiesces them as operators finish):
    // an operator that got the end of event time emits nothing after it.
    if (this.phase !== 'running') return;
    try {
      this.chain.tracker.current = null;
      callback();
      this.chain.tracker.current = null;
      // What the callback emitted leaves now (a sink sends per step); a backlog holds the next step.
      const backlog = this.backlog();
      if (backlog && this.waitingFor === null) this.waitFor(backlog);
    } catch (error) {
      throw this.fail(error);
    }
  }

  inspectWatermarks(): SubtaskWatermarks {
    const { input, operators, partitioners } = this.chain;
    // The lowest edge's: what every consumer has been told at least.
    let outputWatermark: number | null = null;
    let outputIdle = partitioners.length > 0;
    for (const partitioner of partitioners) {
      outputWatermark = outputWatermark === null ? partitioner.lastWatermark : Math.min(outputWatermark, partitioner.lastWatermark);
      if (partitioner.lastStatus !== 'idle') outputIdle = false;
    }
    if (input instanceof NetworkInput) {
      return { inputWatermark: operators[0]?.processedWatermark ?? null, outputWatermark, outputIdle, inputs: input.watermarks(), splits: null };
    }
    return { inputWatermark: null, outputWatermark, outputIdle, inputs: [], splits: input.splitWatermarks?.() ?? null };
  }

  suspend(): void {
    if (this.chain.input instanceof NetworkInput || this.suspended) return;
    this.suspended = new Promise<void>((resolve) => (this.endSuspension = resolve));
  }

  /** A source subtask's checkpoint, between two steps; a subtask fed by network edges meets its barriers in its input instead. */
  triggerCheckpoint(barrier: CheckpointBarrier): void {
    if (this.phase === 'awaiting-final-checkpoint') {
      // Its input ended: no barrier can reach it, so the JobManager triggers it directly (FLIP-147).
      this.finalCheckpoint.taking(barrier.checkpointId);
      this.performCheckpoint({ ...barrier, unaligned: false });
      return;
    }
    if (this.chain.input instanceof NetworkInput) {
      // Triggered directly only once every input finished: it is still working through what they sent.
      this.declineCheckpoint(barrier.checkpointId, `${this.label} cannot take checkpoint ${barrier.checkpointId} yet: its inputs finished, and it is ${this.phase} through what they sent`);
      return;
    }
    if (this.phase !== 'running') {
      this.declineCheckpoint(barrier.checkpointId, `${this.label} cannot take checkpoint ${barrier.checkpointId}: it is ${this.phase}, not running`);
      return;
    }
    this.performCheckpoint(barrier);
  }

  /**
   * Takes the chain's snapshot (source reader and every operator), sends the barrier on every output,
   * then acknowledges with the time the snapshot took. Also what the input's barrier listener calls
   * once a barrier is aligned. What a snapshot throws declines the checkpoint and fails the subtask
   * (thrown here, and by every later step), naming the operator.
   */
  performCheckpoint(barrier: CheckpointBarrier): void {
    let snapshot: TakenSubtaskSnapshot;
    const started = performance.now();
    try {
      if (barrier.drain === true) this.advanceToEndOfEventTime();
      snapshot = snapshotChain(this.chain, barrier);
    } catch (error) {
      const failure = this.fail(error);
      this.declineCheckpoint(barrier.checkpointId, `${this.label}: ${failure instanceof Error ? failure.message : String(failure)}`);
      throw failure;
    }
    const syncMs = performance.now() - started;
    if (barrier.unaligned === true) return this.unaligned.taken(barrier, snapshot, syncMs, this.chain.outputs, this.chain.input instanceof NetworkInput);
    for (const output of this.chain.outputs) output.broadcastEvent(barrier);
    this.context?.checkpointResponder?.acknowledge(barrier, snapshot, syncMs);
  }

  /**
   * `weir stop --drain`: gives every operator, head first, the end of event time, as the drain at the
   * end of input does (without ending the input: the barrier still follows, then the job stops).
   */
  private advanceToEndOfEventTime(): void {
    const tracker = this.chain.tracker;
    for (const operator of this.chain.operators) {
      tracker.current = null;
      if (operator.processedWatermark < MAX_WATERMARK) operator.processWatermark(MAX_WATERMARK);
    }
    tracker.current = null;
  }

  /** This subtask cannot take part in the checkpoint (an alignment cancelled by a newer barrier, a subtask not running). */
  declineCheckpoint(checkpointId: number, reason: string): void {
    this.context?.checkpointResponder?.decline(checkpointId, reason);
  }

  /** Each operator's commit, head first (a transactional sink commits here); a promise the Task waits for when one takes a while. */
  notifyCheckpointComplete(checkpointId: number): Promise<void> | null {
    if (!NOTIFIED_PHASES.has(this.phase)) return null;
    let committing: Promise<void> | null;
    try {
      committing = notifyComplete(this.chain, checkpointId);
    } catch (error) {
      throw this.fail(error);
    }
    if (this.phase === 'awaiting-final-checkpoint') this.finalCheckpoint.completed(checkpointId, committing);
    return committing;
  }

  notifyCheckpointAborted(checkpointId: number): void {
    this.unaligned.drop(checkpointId);
    if (!NOTIFIED_PHASES.has(this.phase)) return;
    // An alignment still waiting for this checkpoint's barriers ends: its blocked channels resume.
    if (this.chain.input instanceof NetworkInput) this.chain.input.abortAlignment(checkpointId);
    try {
      notifyAborted(this.chain, checkpointId);
    } catch (error) {
      throw this.fail(error);
    }
  }

  cancel(): void {
    if (this.cancelRequested || this.phase === 'closed') return;
    this.cancelRequested = true;
    this.endSuspension?.();
    this.finalCheckpoint.cancel();
    if (this.phase !== 'failed' && this.phase !== 'finished') this.phase = 'cancelled';
    this.chain.input.cancel();
  }

  async close(): Promise<void> {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    const errors: unknown[] = [];
    try {
      await this.chain.input.close();
    } catch (error) {
      errors.push(error);
    }
    const operators = this.chain.operators;
    for (let index = operators.length - this.openedOperators; index < operators.length; index++) {
      try {
        await operators[index].close();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  private readAndForward(maxRecords: number): StepResult {
    const tracker = this.chain.tracker;
    tracker.current = null;
    const status = this.chain.input.read(maxRecords);
    tracker.current = null;
    switch (status.kind) {
      case 'failed':
        throw status.error;
      case 'end':
        this.phase = 'draining';
        return this.drain(maxRecords);
      case 'more':
      case 'wait': {
        const backlog = this.backlog();
        if (backlog) return this.waitFor(backlog);
        return status.kind === 'more' ? MORE : { kind: 'wait', until: this.inputOrCompletion(status.until), waitingFor: 'input' };
      }
      default: {
        const impossible: never = status;
        return impossible;
      }
    }
  }

  /**
   * Lets each async operator, head first, emit what completed since the last step (an upstream one's
   * results may reach a downstream one first). A promise when one of them still holds records it
   * could not start: the step must not take input until one of those operators completes a call.
   */
  private emitCompleted(): Promise<unknown> | null {
    const tracker = this.chain.tracker;
    let holding: Promise<void>[] | null = null;
    for (const operator of this.asyncOperators) {
      tracker.current = null;
      const waiting = operator.emitCompleted();
      if (waiting) (holding ??= []).push(waiting);
    }
    tracker.current = null;
    if (holding === null) return null;
    return holding.length === 1 ? holding[0] : Promise.race(holding);
  }

  /** What a step whose input has nothing now waits for: that input, or an async operator's next completion. */
  private inputOrCompletion(input: Promise<void>): Promise<unknown> {
    let either: Promise<unknown>[] | null = null;
    for (const operator of this.asyncOperators) {
      const completion = operator.whenCompleted();
      if (completion) (either ??= [input]).push(completion);
    }
    return either === null ? input : Promise.race(either);
  }

  /** The operators' backlog after a step: a promise when one must catch up first (a sink, a full async operator). */
  private backlog(): Promise<unknown> | null {
    let pending: Promise<void>[] | null = null;
    for (const operator of this.chain.operators) {
      const waiting = operator.afterStep();
      if (waiting) (pending ??= []).push(waiting);
    }
    if (pending === null) return null;
    return pending.length === 1 ? pending[0] : Promise.all(pending);
  }

  /** The first output writer without room, or undefined when every one can take records. */
  private blockedOutput(): OutputWriter | undefined {
    const outputs = this.chain.outputs;
    for (let index = 0; index < outputs.length; index++) if (!outputs[index].available) return outputs[index];
    return undefined;
  }

  /**
   * Lets each operator, head first, emit what it held back, then gives it the end of event time (its
   * remaining event-time timers fire: windows emit); ends the input once all are done.
   */
  private drain(maxRecords: number): StepResult {
    const operators = this.chain.operators;
    const tracker = this.chain.tracker;
    while (this.drainIndex < operators.length) {
      const operator = operators[this.drainIndex];
      tracker.current = null;
      const done = operator.emitFinal(maxRecords);
      if (done) {
        tracker.current = null;
        operator.processWatermark(MAX_WATERMARK);
        this.drainIndex++;
      }
      tracker.current = null;
      if (!done || this.blockedOutput()) {
        const backlog = this.backlog();
        return backlog ? this.waitFor(backlog) : MORE;
      }
    }
    return this.endInput();
  }

  /** Every operator's endInput() (sinks flush), then every writer's finish(): end of data downstream. */
  private endInput(): StepResult {
    this.phase = 'ending';
    // A sink chain with a transactional sink waits for a checkpoint after its end to commit (FLIP-147's final checkpoint).
    const final = this.context?.finalCheckpoint === true && this.context.checkpointResponder !== undefined && this.chain.outputs.length === 0 && this.chain.operators.some((operator) => operator.commitsAtFinalCheckpoint === true);
    const flushes: Promise<void>[] = [];
    for (const operator of this.chain.operators) {
      const flushing = final && operator.commitsAtFinalCheckpoint === true ? operator.endInputBeforeFinalCheckpoint() : operator.endInput();
      if (flushing) flushes.push(flushing);
    }
    for (const output of this.chain.outputs) output.finish();
    if (final) {
      this.phase = 'awaiting-final-checkpoint';
      if (flushes.length > 0) return this.waitFor(Promise.all(flushes));
      return { kind: 'wait', until: this.finalCheckpoint.done, waitingFor: 'input' };
    }
    if (flushes.length === 0) {
      this.phase = 'finished';
      return FINISHED;
    }
    return this.waitFor(Promise.all(flushes));
  }

  private waitFor(promise: Promise<unknown>): StepResult {
    const waiting = promise.then(
      () => {
        this.waitingFor = null;
      },
      (error: unknown) => {
        this.asyncFailure = { error };
        this.waitingFor = null;
      },
    );
    this.waitingFor = waiting;
    return { kind: 'wait', until: waiting };
  }

  /**
   * Names the operator whose user code threw (the tracker says which), and fails the subtask. A
   * WeirError was raised by Weir itself (an invalid key, a full source buffer) and names its operator.
   */
  private fail(error: unknown): unknown {
    const culprit = this.chain.tracker.current;
    this.chain.tracker.current = null;
    this.failure = culprit && !(error instanceof WeirError) ? userFunctionError(culprit, 'failed on a record', error) : error;
    this.phase = 'failed';
    return this.failure;
  }

  private illegalState(call: string, required: string): WeirError {
    return new WeirError('ILLEGAL_SUBTASK_STATE', `${this.label}: ${call} needs a ${required} subtask, but it is ${this.phase}`);
  }
}
