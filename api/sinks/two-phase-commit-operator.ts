// The operator behind sinkTo(aTwoPhaseCommitSink) and sinkTo(FileSink...): it drives the user's
// TwoPhaseCommitSink through a job's checkpoints (see two-phase-commit-sink.ts for the contract).
// Its part of a checkpoint (OperatorSnapshot.extra, a TwoPhaseCommitSnapshot) lists the
// transactions pre-committed and not yet known committed, and the transaction open after it.
//
// Calls: the user's calls run one at a time, in order. A synchronous call is made directly (a record
// costs one invoke()); once one returns a promise, later records and checkpoint calls queue behind
// it, and each call starts when the previous one settled, from that settlement (so a commit the Task
// waits for never depends on another step). While anything is queued the subtask takes no input.
// beginTransaction() is the exception: it is called at the checkpoint itself, so that the snapshot
// names the new transaction; records switch to it in order.
//
// Threading: collect(), the checkpoint hooks, endInput() and close() run on the task's turn; the
// settlement of an async call clears `inFlight`, records `failure` and starts the next queued call.
// Calls started from a settlement never touch the tracker: their errors are wrapped here, naming the
// operator, and thrown by the next step. Once closed, a call still pending is abandoned.
import { WeirError } from '../../messages/errors.ts';
import { CompletionSignal, SETTLED, isThenable } from '../operators/async-completion.ts';
import { UdfOperator } from '../operators/udf-operator.ts';
import type { OperatorSnapshot, SnapshotContext } from '../runtime/checkpointing/snapshot.ts';
import { type OperatorRuntime, describeOperator, userFunctionError } from '../runtime/chain.ts';
import { copyRecord } from '../runtime/copy-record.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import type { SinkContext, TwoPhaseCommitSink } from './two-phase-commit-sink.ts';

export const TWO_PHASE_COMMIT_SINK_KIND = 'sink-two-phase-commit';

/** A transaction pre-committed at a checkpoint, to commit once that checkpoint (or a later one) completes. */
export interface PendingTransaction<TXN> {
  readonly checkpointId: number;
  readonly transaction: TXN;
}

/** A two-phase-commit sink's part of a checkpoint (OperatorSnapshot.extra): plain data. */
export interface TwoPhaseCommitSnapshot<TXN> {
  /** Oldest first: committed (recoverAndCommit) on restore. */
  readonly pending: readonly PendingTransaction<TXN>[];
  /** The transaction records after the checkpoint went into: aborted (recoverAndAbort) on restore; null when its begin had not settled. */
  readonly current: TXN | null;
  /** A restore at a lower parallelism gave this subtask other subtasks' open transactions too: aborted as well. */
  readonly otherCurrents?: readonly TXN[];
}

/**
 * A call waiting behind an async one. `transaction` null: the transaction records go to when the
 * call runs (`writing`). `commitPending`: the oldest pending transaction, dropped from the list once
 * committed. `switch`: records from here on go to `begun`'s transaction.
 */
interface QueuedCall<TXN> {
  readonly kind: 'preCommit' | 'commit' | 'commitPending' | 'switch';
  readonly transaction: TXN | null;
  readonly begun?: Promise<BeginResult<TXN>>;
}

type BeginResult<TXN> = { readonly transaction: TXN } | { readonly error: WeirError };

/** Marks a QueuedCall in the queue, whose other entries are record, timestamp pairs. */
const CALL = Symbol('queued call');

/** The context invoke() gets: one per operator, updated before each call (valid during the call only). */
class InvokeContext implements SinkContext {
  timestamp: number | undefined = undefined;
  currentWatermark = Number.NEGATIVE_INFINITY;
}

export class TwoPhaseCommitSinkOperator<T, TXN> extends UdfOperator<T, TwoPhaseCommitSink<T, TXN>> {
  /** Pre-committed (or queued to be) at a checkpoint, oldest first; dropped once committed. */
  private readonly pending: PendingTransaction<TXN>[] = [];
  /** How many of `pending`, from the oldest, have their commit queued or running. */
  private commitsQueued = 0;
  /** The last transaction begun: records arriving now belong to it; null while its begin is pending, or once the input ended. */
  private latest: { readonly transaction: TXN } | null = null;
  /** The transaction the next record written goes to (behind `latest` while switches wait in the queue). */
  private writing: TXN | null = null;
  /** Calls waiting behind the one in flight: record, timestamp pairs, and CALL, QueuedCall pairs. */
  private queue: unknown[] = [];
  /** True from a call that returned a promise until it settles (its handler clears it). */
  private inFlight = false;
  /** The first failed call, set by whoever saw it; thrown on the task's turn. */
  private failure: WeirError | null = null;
  private restoredSnapshot: TwoPhaseCommitSnapshot<TXN> | null = null;
  private readonly context = new InvokeContext();
  private readonly signal = new CompletionSignal();
  private closed = false;
  private readonly name: string;

  constructor(runtime: OperatorRuntime, factory: UserFunctionFactory<TwoPhaseCommitSink<T, TXN>>) {
    super(runtime, factory);
    this.name = describeOperator(runtime.descriptor);
  }

  override restoreState(snapshot: OperatorSnapshot): void {
    if (snapshot.operatorState) this.restoreOperatorState(snapshot.operatorState);
    if (snapshot.extra !== undefined) this.restoredSnapshot = checkSnapshot<TXN>(snapshot.extra, this.name);
  }

  /**
   * The user's open(), then the restored transactions' recovery, then the first transaction (Flink
   * recovers before open(); here recovery may use what open() connected). A sink given as a plain
   * object without recoverAndCommit() or recoverAndAbort() gets commit() and abort() instead.
   */
  override async open(): Promise<void> {
    await super.open();
    const restored = this.restoredSnapshot;
    this.restoredSnapshot = null;
    if (restored !== null) {
      for (const { transaction } of restored.pending) await this.callUser('recoverAndCommit', () => (this.udf.recoverAndCommit ?? this.udf.commit).call(this.udf, transaction));
      const current = restored.current;
      for (const open of [current, ...(restored.otherCurrents ?? [])]) {
        if (open !== null) await this.callUser('recoverAndAbort', () => (this.udf.recoverAndAbort ?? this.udf.abort).call(this.udf, open));
      }
    }
    const transaction = checkTransaction(await this.callUser('beginTransaction', () => this.udf.beginTransaction()), this.name);
    this.latest = { transaction };
    this.writing = transaction;
  }

  collect(value: T, timestamp: number | undefined): void {
    if (this.inFlight || this.queue.length > 0) {
      this.queue.push(value, timestamp);
      return;
    }
    const context = this.context;
    context.timestamp = timestamp;
    context.currentWatermark = this.currentWatermark;
    this.tracker.current = this.descriptor;
    const written = this.udf.invoke(this.writing as TXN, value, context);
    if (written !== undefined && isThenable(written)) this.await(written, null);
  }

  /**
   * Pre-commits the open transaction (queued behind calls in flight) and begins the next. The
   * snapshot lists every transaction pre-committed and not yet committed, and the new one.
   */
  override snapshotState(context: SnapshotContext): OperatorSnapshot {
    this.throwFailure();
    const latest = this.latest;
    if (latest === null) {
      throw new WeirError(
        'SINK_WRITE_FAILED',
        `${this.name}: checkpoint ${context.checkpointId} came while beginTransaction() was still pending, so its transaction cannot be pre-committed`,
      );
    }
    this.pending.push({ checkpointId: context.checkpointId, transaction: latest.transaction });
    this.enqueue({ kind: 'preCommit', transaction: latest.transaction });
    this.throwFailure();
    this.enqueue(this.beginNext());
    this.throwFailure();
    const extra: TwoPhaseCommitSnapshot<TXN> = { pending: this.pending, current: this.latest?.transaction ?? null };
    return { operatorState: this.snapshotOperatorState(context.checkpointId, context.timestamp), extra: copyRecord(extra) };
  }

  /** Commits every pending transaction of a checkpoint up to `checkpointId`, oldest first; a promise while async commits run. */
  override notifyCheckpointComplete(checkpointId: number): Promise<void> | null {
    if (this.failure !== null) return Promise.reject(this.failure);
    const pending = this.pending;
    while (this.commitsQueued < pending.length && pending[this.commitsQueued].checkpointId <= checkpointId) {
      this.enqueue({ kind: 'commitPending', transaction: pending[this.commitsQueued++].transaction });
    }
    return this.until(() => pending.length === 0 || pending[0].checkpointId > checkpointId);
  }

  /** Nothing to drop: the transaction stays pending and a later checkpoint commits it (as in Flink). */
  override notifyCheckpointAborted(_checkpointId: number): void {}

  override emitCompleted(): Promise<void> | null {
    this.throwFailure();
    return this.queue.length > 0 ? this.signal.wait() : null;
  }

  override whenCompleted(): Promise<void> | null {
    if (this.failure !== null) return SETTLED;
    return this.inFlight ? this.signal.wait() : null;
  }

  override afterStep(): Promise<void> | null {
    return this.queue.length > 0 ? this.whenCompleted() : null;
  }

  override emitFinal(_maxRecords: number): boolean {
    this.throwFailure();
    return true;
  }

  override readonly commitsAtFinalCheckpoint = true;

  /**
   * A final checkpoint comes (periodic checkpoints): the open transaction stays open, and that
   * checkpoint pre-commits it like any other and commits it on completion, so a failure before then
   * replays its records into a new transaction instead of finding them committed.
   */
  override endInputBeforeFinalCheckpoint(): Promise<void> | null {
    return this.failure !== null ? Promise.reject(this.failure) : null;
  }

  /**
   * No final checkpoint comes (no periodic checkpoints, or unaligned ones): the open transaction is
   * pre-committed, then every pending one and it are committed, in order.
   */
  override endInput(): Promise<void> | null {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.enqueue({ kind: 'preCommit', transaction: null });
    while (this.commitsQueued < this.pending.length) this.enqueue({ kind: 'commitPending', transaction: this.pending[this.commitsQueued++].transaction });
    this.enqueue({ kind: 'commit', transaction: null });
    this.latest = null;
    return this.until(() => !this.inFlight && this.queue.length === 0);
  }

  /** A failure or a cancel: aborts the transactions still open (unless a call is in flight), then the user's close(). */
  override async close(): Promise<void> {
    this.closed = true;
    this.queue = [];
    this.signal.notify();
    const open: TXN[] = [];
    if (!this.inFlight && this.writing !== null) open.push(this.writing);
    if (!this.inFlight && this.latest !== null && this.latest.transaction !== this.writing) open.push(this.latest.transaction);
    this.writing = null;
    this.latest = null;
    try {
      for (const transaction of open) await this.callUser('abort', () => this.udf.abort(transaction));
    } finally {
      await super.close();
    }
  }

  /** Calls beginTransaction() now; the returned call switches records to its transaction in order. */
  private beginNext(): QueuedCall<TXN> {
    let begun: TXN | PromiseLike<TXN>;
    try {
      begun = this.udf.beginTransaction();
    } catch (error) {
      throw this.userError('failed in beginTransaction()', error);
    }
    if (!isThenable(begun)) {
      const transaction = checkTransaction(begun, this.name);
      this.latest = { transaction };
      return { kind: 'switch', transaction };
    }
    this.latest = null;
    const settled = Promise.resolve(begun).then(
      (value): BeginResult<TXN> => {
        try {
          const transaction = checkTransaction(value, this.name);
          if (!this.closed) this.latest = { transaction };
          return { transaction };
        } catch (error) {
          return { error: error as WeirError };
        }
      },
      (error: unknown): BeginResult<TXN> => ({ error: this.userError('failed in beginTransaction()', error) }),
    );
    return { kind: 'switch', transaction: null, begun: settled };
  }

  /** Queues `call`, and runs the queue when nothing was in flight (synchronous calls finish here). */
  private enqueue(call: QueuedCall<TXN>): void {
    this.queue.push(CALL, call);
    if (!this.inFlight) this.runQueue();
  }

  /** Runs queued calls, in order, until one returns a promise or the queue is empty; a throw becomes `failure`. */
  private runQueue(): void {
    const queue = this.queue;
    let next = 0;
    try {
      while (!this.inFlight && this.failure === null && next < queue.length) {
        const head = queue[next];
        const second = queue[next + 1];
        next += 2;
        if (head === CALL) this.runCall(second as QueuedCall<TXN>);
        else this.invokeQueued(head as T, second as number | undefined);
      }
    } catch (error) {
      this.failure ??= this.userError('failed on a record', error);
    }
    if (queue === this.queue) queue.splice(0, next);
  }

  private invokeQueued(value: T, timestamp: number | undefined): void {
    const context = this.context;
    context.timestamp = timestamp;
    context.currentWatermark = this.currentWatermark;
    const written = this.udf.invoke(this.writing as TXN, value, context);
    if (written !== undefined && isThenable(written)) this.await(written, null);
  }

  private runCall(call: QueuedCall<TXN>): void {
    if (call.kind === 'switch' && call.begun !== undefined) {
      this.await(call.begun, call);
      return;
    }
    const transaction = call.transaction ?? (this.writing as TXN);
    const method = call.kind === 'preCommit' ? 'preCommit' : 'commit';
    let result: void | PromiseLike<void> = undefined;
    if (call.kind !== 'switch') {
      try {
        result = method === 'preCommit' ? this.udf.preCommit(transaction) : this.udf.commit(transaction);
      } catch (error) {
        throw this.userError(`failed in ${method}()`, error);
      }
    }
    if (result !== undefined && isThenable(result)) this.await(result, call);
    else this.completed(call, undefined);
  }

  /** What a call does once it succeeded. */
  private completed(call: QueuedCall<TXN>, value: unknown): void {
    switch (call.kind) {
      case 'switch': {
        const begun = call.begun === undefined ? { transaction: call.transaction as TXN } : (value as BeginResult<TXN>);
        if ('error' in begun) throw begun.error;
        this.writing = begun.transaction;
        return;
      }
      case 'commitPending':
        this.pending.shift();
        this.commitsQueued--;
        return;
      case 'commit':
        if (call.transaction === null) this.writing = null;
        return;
      case 'preCommit':
        return;
    }
  }

  private await(result: PromiseLike<unknown>, call: QueuedCall<TXN> | null): void {
    this.inFlight = true;
    Promise.resolve(result).then(
      (value) => this.settled(call, value, null),
      (error: unknown) => this.settled(call, undefined, { error }),
    );
  }

  private settled(call: QueuedCall<TXN> | null, value: unknown, rejected: { readonly error: unknown } | null): void {
    if (this.closed) return;
    this.inFlight = false;
    if (rejected !== null) {
      const happened = call === null ? 'failed on a record' : `failed in ${call.kind === 'preCommit' ? 'preCommit' : 'commit'}()`;
      this.failure ??= this.userError(happened, rejected.error);
    } else if (call !== null) {
      try {
        this.completed(call, value);
      } catch (error) {
        this.failure ??= error as WeirError;
      }
    }
    if (this.failure === null) this.runQueue();
    this.signal.notify();
  }

  /** Settles once `done()` holds (checked after each call); null when it already does; rejects with the first failure. */
  private until(done: () => boolean): Promise<void> | null {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (done()) return null;
    const wait = async (): Promise<void> => {
      while (!done() && this.failure === null && !this.closed) await this.signal.wait();
      if (this.failure !== null) throw this.failure;
    };
    return wait();
  }

  /** Calls user code of open() or close(), awaiting it, and names the operator and the method when it fails. */
  private async callUser<R>(method: string, fn: () => R | PromiseLike<R>): Promise<R> {
    try {
      return await fn();
    } catch (error) {
      throw this.userError(`failed in ${method}()`, error);
    }
  }

  /** What user code threw, naming the operator; a WeirError (the file sink's own) already does. */
  private userError(happened: string, error: unknown): WeirError {
    return error instanceof WeirError ? error : userFunctionError(this.descriptor, happened, error);
  }

  private throwFailure(): void {
    if (this.failure !== null) throw this.failure;
  }
}

/** A transaction handle goes into checkpoints: it must be something msgpack carries back. */
function checkTransaction<TXN>(transaction: TXN, operator: string): TXN {
  if (transaction === undefined || transaction === null || typeof transaction === 'function' || typeof transaction === 'symbol') {
    throw new WeirError(
      'INVALID_FUNCTION',
      `${operator}: beginTransaction() returned ${transaction === null ? 'null' : typeof transaction}; a transaction must be plain data (it goes into checkpoints)`,
    );
  }
  return transaction;
}

function checkSnapshot<TXN>(extra: unknown, operator: string): TwoPhaseCommitSnapshot<TXN> {
  const snapshot = extra as Partial<TwoPhaseCommitSnapshot<TXN>> | null;
  const valid =
    typeof snapshot === 'object' &&
    snapshot !== null &&
    Array.isArray(snapshot.pending) &&
    snapshot.pending.every((entry) => typeof entry === 'object' && entry !== null && Number.isSafeInteger(entry.checkpointId)) &&
    'current' in snapshot &&
    (snapshot.otherCurrents === undefined || Array.isArray(snapshot.otherCurrents));
  if (!valid) throw new WeirError('STATE_RESTORE_FAILED', `${operator}: the snapshot is not a two-phase-commit sink's (pending transactions and the current one)`);
  return snapshot as TwoPhaseCommitSnapshot<TXN>;
}
