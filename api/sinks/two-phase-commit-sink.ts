// The two-phase-commit sink that user sinks extend (Flink's TwoPhaseCommitSinkFunction): records go
// into a transaction; a checkpoint pre-commits it (phase one) and opens the next; once the checkpoint
// is complete, every task having acknowledged it, the transaction is committed (phase two). A failure
// restores the last completed checkpoint: its pre-committed transactions are committed again
// (recoverAndCommit: the first commit may or may not have happened), the transaction open at that
// checkpoint is aborted (recoverAndAbort: its records are replayed), so each record's effect is
// committed exactly once. The operator that drives it: two-phase-commit-operator.ts.
import type { RichFunction, RuntimeContext } from '../functions.ts';

/** What invoke() learns about the record besides its value (Flink's SinkFunction.Context). */
export interface SinkContext {
  /** The record's event time in ms; undefined when it has none. */
  readonly timestamp: number | undefined;
  /** The sink's current input watermark. */
  readonly currentWatermark: number;
}

/**
 * A sink with exactly-once output through transactions. `TXN` is the transaction's handle and must be
 * plain data (what msgpack carries: ids, paths, numbers; not a connection or a file handle) and
 * neither null nor undefined: it goes into the checkpoint, and a restored subtask gets it back.
 * Keep what is not plain data (connections, open files) on `this`, keyed by the handle if need be.
 *
 * Lifecycle per subtask: open(context); on a restore, recoverAndCommit() of every transaction that
 * was pending at the checkpoint, in checkpoint order, then recoverAndAbort() of the one that was
 * open; then beginTransaction(). Per record: invoke(). Per checkpoint: preCommit() of the open
 * transaction, beginTransaction() of the next; when the checkpoint completes, commit() of every
 * pre-committed transaction up to it, in order (one whose checkpoint was aborted is committed by a
 * later one, as in Flink). At the end of a bounded input, with periodic (aligned) checkpoints, the
 * open transaction stays open for the final checkpoint (FLIP-147), a checkpoint taken after the end,
 * which pre-commits and commits it like any other; then the subtask finishes. Without them:
 * preCommit() and commit() of the open transaction at the end of input, after the pending ones (a
 * failure after that replays records since the last checkpoint once more). close(): abort() of the
 * transaction still open (a failure or a cancel, and the empty one the final checkpoint began).
 *
 * Output therefore appears only when a checkpoint completes or the input ends: a job without
 * checkpointing writes everything at its end.
 *
 * Every method may return a promise: the calls then run one at a time, in order (each starts once
 * the previous settled), and the subtask takes no input while records wait. beginTransaction() is
 * the exception: it is called at the checkpoint itself, so that the snapshot can name the new
 * transaction, even while the previous one's last records and preCommit() still wait their turn. A checkpoint is
 * acknowledged when its snapshot is taken, which does not wait for async calls: a failure between
 * that and the end of the transaction's preCommit() leaves recoverAndCommit() a transaction whose
 * preCommit() may not have finished. A sink that needs the stronger guarantee keeps invoke() and
 * preCommit() synchronous (FileSink does). A checkpoint that comes while the transaction it must
 * pre-commit is still being begun (beginTransaction()'s promise pending) fails the subtask rather
 * than lose it from the snapshot.
 *
 * recoverAndCommit() and recoverAndAbort() must be idempotent: a restore may run them again for the
 * same transaction (a failure during recovery, or a second restore from the same checkpoint).
 */
export abstract class TwoPhaseCommitSink<IN, TXN> implements RichFunction {
  /** Before the first transaction (and before recovery, which may use what it opened). */
  open?(context: RuntimeContext): void | Promise<void>;
  /** After the last call; the open transaction was aborted already. */
  close?(): void | Promise<void>;

  /** A new transaction; records go into it until the next checkpoint pre-commits it. */
  abstract beginTransaction(): TXN | PromiseLike<TXN>;
  /** Writes one record into `transaction`. */
  abstract invoke(transaction: TXN, value: IN, context: SinkContext): void | PromiseLike<void>;
  /** Phase one, at a checkpoint: make the transaction's records durable, ready to commit; nothing more goes into it. */
  abstract preCommit(transaction: TXN): void | PromiseLike<void>;
  /** Phase two, once its checkpoint completed: make the records visible. */
  abstract commit(transaction: TXN): void | PromiseLike<void>;
  /** Drop the transaction and its records. */
  abstract abort(transaction: TXN): void | PromiseLike<void>;

  /** On restore, for a transaction pre-committed at the checkpoint: commit it unless that already happened. Defaults to commit(). */
  recoverAndCommit(transaction: TXN): void | PromiseLike<void> {
    return this.commit(transaction);
  }

  /** On restore, for the transaction open at the checkpoint (its records are replayed): abort it. Defaults to abort(). */
  recoverAndAbort(transaction: TXN): void | PromiseLike<void> {
    return this.abort(transaction);
  }
}
