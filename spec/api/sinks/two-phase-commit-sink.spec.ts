// The two-phase-commit sink API, with a user sink that writes to an in-memory "database": the log of
// its calls shows when transactions begin, pre-commit, commit and abort through checkpoints,
// restores and the end of input; the last specs make the calls async and run jobs.
import test from 'ava';
import { type SinkContext, StreamExecutionEnvironment, TwoPhaseCommitSink } from '../../../index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { within } from '../helpers.ts';
import { checkpoint, openSinkOperator, roundTrip } from './transactional-sink-fixtures.ts';

/** Transactions by id, the rows committed, and every call the sink made. */
class Database {
  readonly staged = new Map<number, string[]>();
  readonly committed: string[] = [];
  readonly log: string[] = [];
  nextId = 1;
}

interface Txn {
  readonly id: number;
}

class DatabaseSink extends TwoPhaseCommitSink<string, Txn> {
  constructor(private readonly db: Database) {
    super();
  }

  beginTransaction(): Txn {
    const id = this.db.nextId++;
    this.db.staged.set(id, []);
    this.db.log.push(`begin ${id}`);
    return { id };
  }

  invoke(transaction: Txn, value: string, context: SinkContext): void {
    this.db.staged.get(transaction.id)?.push(value);
    this.db.log.push(`invoke ${transaction.id} ${value}${context.timestamp === undefined ? '' : ` @${context.timestamp}`}`);
  }

  preCommit(transaction: Txn): void {
    this.db.log.push(`preCommit ${transaction.id}`);
  }

  commit(transaction: Txn): void {
    this.db.log.push(`commit ${transaction.id}`);
    this.db.committed.push(...(this.db.staged.get(transaction.id) ?? []));
    this.db.staged.delete(transaction.id);
  }

  abort(transaction: Txn): void {
    this.db.log.push(`abort ${transaction.id}`);
    this.db.staged.delete(transaction.id);
  }

  override recoverAndCommit(transaction: Txn): void {
    this.db.log.push(`recoverAndCommit ${transaction.id}`);
    if (this.db.staged.has(transaction.id)) this.commit(transaction);
  }

  override recoverAndAbort(transaction: Txn): void {
    this.db.log.push(`recoverAndAbort ${transaction.id}`);
    this.abort(transaction);
  }
}

test('each checkpoint pre-commits the open transaction and begins the next; completion commits them in checkpoint order', async (t) => {
  const db = new Database();
  const sink = await openSinkOperator(new DatabaseSink(db));
  sink.collect('a', 10);
  sink.snapshotState(checkpoint(1));
  sink.collect('b', undefined);
  sink.snapshotState(checkpoint(2));
  t.deepEqual(db.committed, [], 'nothing is visible before a checkpoint completes');
  t.is(sink.notifyCheckpointComplete(2), null);
  t.deepEqual(db.committed, ['a', 'b']);
  t.deepEqual(db.log, ['begin 1', 'invoke 1 a @10', 'preCommit 1', 'begin 2', 'invoke 2 b', 'preCommit 2', 'begin 3', 'commit 1', 'commit 2']);
  sink.notifyCheckpointComplete(2);
  t.is(db.log.length, 9, 'a repeated notification commits nothing twice');
  await sink.close();
  t.deepEqual(db.log.slice(9), ['abort 3']);
});

test('a restore commits the pending transactions again and aborts the one open at the checkpoint, then begins a new one', async (t) => {
  const db = new Database();
  const failed = await openSinkOperator(new DatabaseSink(db));
  failed.collect('a', undefined);
  failed.snapshotState(checkpoint(1));
  failed.collect('b', undefined);
  const snapshot = roundTrip(failed.snapshotState(checkpoint(2)));
  failed.notifyCheckpointComplete(1);
  failed.collect('after', undefined);
  // The subtask dies before checkpoint 2's notification.
  db.log.length = 0;

  const restored = await openSinkOperator(new DatabaseSink(db), { snapshot });
  t.deepEqual(db.log, ['recoverAndCommit 1', 'recoverAndCommit 2', 'commit 2', 'recoverAndAbort 3', 'abort 3', 'begin 4']);
  t.deepEqual(db.committed, ['a', 'b']);
  await restored.close();

  db.log.length = 0;
  await (await openSinkOperator(new DatabaseSink(db), { snapshot })).close();
  t.deepEqual(db.committed, ['a', 'b'], 'a second restore from the same snapshot commits nothing twice');
  t.deepEqual(db.log, ['recoverAndCommit 1', 'recoverAndCommit 2', 'recoverAndAbort 3', 'abort 3', 'begin 5', 'abort 5']);
});

test('end of input pre-commits the open transaction and commits it after the pending ones', async (t) => {
  const db = new Database();
  const sink = await openSinkOperator(new DatabaseSink(db));
  sink.collect('a', undefined);
  sink.snapshotState(checkpoint(1));
  sink.collect('b', undefined);
  t.is(sink.endInput(), null);
  await sink.close();
  t.deepEqual(db.log, ['begin 1', 'invoke 1 a', 'preCommit 1', 'begin 2', 'invoke 2 b', 'preCommit 2', 'commit 1', 'commit 2']);
  t.deepEqual(db.committed, ['a', 'b']);
});

test('a sink without recoverAndCommit or recoverAndAbort recovers with commit and abort', async (t) => {
  const db = new Database();
  const plain = {
    beginTransaction: () => ({ id: db.nextId++ }),
    invoke: (transaction: Txn, value: string) => void db.log.push(`invoke ${transaction.id} ${value}`),
    preCommit: () => {},
    commit: (transaction: Txn) => void db.log.push(`commit ${transaction.id}`),
    abort: (transaction: Txn) => void db.log.push(`abort ${transaction.id}`),
  };
  const failed = await openSinkOperator(plain);
  failed.collect('a', undefined);
  const snapshot = roundTrip(failed.snapshotState(checkpoint(1)));
  db.log.length = 0;
  await openSinkOperator(plain, { snapshot });
  t.deepEqual(db.log, ['commit 1', 'abort 2']);
});

/** A promise per call, settled by the spec. */
class Deferred {
  readonly calls: { readonly name: string; readonly resolve: () => void; readonly reject: (error: Error) => void }[] = [];

  next(name: string): Promise<void> {
    return new Promise<void>((resolve, reject) => this.calls.push({ name, resolve, reject }));
  }

  settleAll(): number {
    const calls = this.calls.splice(0);
    for (const call of calls) call.resolve();
    return calls.length;
  }
}

class AsyncDatabaseSink extends TwoPhaseCommitSink<string, Txn> {
  constructor(
    private readonly db: Database,
    private readonly deferred: Deferred,
  ) {
    super();
  }

  beginTransaction(): Txn {
    const id = this.db.nextId++;
    this.db.log.push(`begin ${id}`);
    return { id };
  }

  async invoke(transaction: Txn, value: string): Promise<void> {
    this.db.log.push(`invoke ${transaction.id} ${value}`);
    await this.deferred.next(`invoke ${value}`);
    this.db.log.push(`invoked ${transaction.id} ${value}`);
  }

  async preCommit(transaction: Txn): Promise<void> {
    this.db.log.push(`preCommit ${transaction.id}`);
    await this.deferred.next('preCommit');
  }

  async commit(transaction: Txn): Promise<void> {
    this.db.log.push(`commit ${transaction.id}`);
    await this.deferred.next('commit');
    this.db.log.push(`committed ${transaction.id}`);
  }

  abort(transaction: Txn): void {
    this.db.log.push(`abort ${transaction.id}`);
  }
}

/** Settles the pending calls one at a time until none is left, letting each settlement start the next call. */
async function settleEach(deferred: Deferred): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (deferred.settleAll() === 0) return;
  }
  throw new Error('calls kept coming');
}

test('async calls run one at a time in order, records wait behind them, and the commit settles the notification', async (t) => {
  const db = new Database();
  const deferred = new Deferred();
  const sink = await openSinkOperator(new AsyncDatabaseSink(db, deferred));
  sink.collect('a', undefined);
  sink.collect('b', undefined);
  t.not(sink.emitCompleted(), null, 'the subtask takes no input while records wait');
  sink.snapshotState(checkpoint(1));
  sink.collect('c', undefined);
  const committed = sink.notifyCheckpointComplete(1);
  t.not(committed, null);
  t.deepEqual(
    deferred.calls.map((call) => call.name),
    ['invoke a'],
    'one call in flight',
  );
  await settleEach(deferred);
  await within(committed as Promise<void>, 'the commit');
  t.deepEqual(db.log, [
    'begin 1',
    'invoke 1 a',
    'begin 2',
    'invoked 1 a',
    'invoke 1 b',
    'invoked 1 b',
    'preCommit 1',
    'invoke 2 c',
    'invoked 2 c',
    'commit 1',
    'committed 1',
  ]);
  t.is(sink.emitCompleted(), null);
  const ended = sink.endInput();
  await settleEach(deferred);
  await within(ended as Promise<void>, 'the end of input');
  t.deepEqual(db.log.slice(11), ['preCommit 2', 'commit 2', 'committed 2']);
  await sink.close();
});

test('a rejected async commit fails the subtask with USER_FUNCTION_FAILED naming the sink and commit()', async (t) => {
  const db = new Database();
  const deferred = new Deferred();
  const sink = await openSinkOperator(new AsyncDatabaseSink(db, deferred));
  sink.snapshotState(checkpoint(1));
  const committed = sink.notifyCheckpointComplete(1) as Promise<void>;
  await new Promise((resolve) => setImmediate(resolve));
  deferred.calls.shift()?.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  t.is(deferred.calls[0]?.name, 'commit');
  deferred.calls[0].reject(new Error('the database is gone'));
  const error = await t.throwsAsync(within(committed, 'the commit'), { instanceOf: WeirError });
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Sink: Two-Phase Commit" (id "sink-two-phase-commit-1") failed in commit(): the database is gone');
  t.throws(() => sink.emitCompleted(), { is: error });
  await sink.close();
});

test('a beginTransaction() that returns null fails the subtask with INVALID_FUNCTION: a transaction goes into checkpoints', async (t) => {
  const sink = {
    beginTransaction: () => null,
    invoke: () => {},
    preCommit: () => {},
    commit: () => {},
    abort: () => {},
  };
  const error = await t.throwsAsync(openSinkOperator(sink), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_FUNCTION');
  t.is(
    error.message,
    'operator "Sink: Two-Phase Commit" (id "sink-two-phase-commit-1"): beginTransaction() returned null; a transaction must be plain data (it goes into checkpoints)',
  );
});

test('sinkTo takes a TwoPhaseCommitSink or its class, and a bounded job commits every record once at its end', async (t) => {
  const db = new Database();
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  env.fromElements('x', 'y', 'z').sinkTo(new DatabaseSink(db));
  await env.execute('two-phase commit spec');
  t.deepEqual(db.committed, ['x', 'y', 'z']);
  t.deepEqual(db.log, ['begin 1', 'invoke 1 x', 'invoke 1 y', 'invoke 1 z', 'preCommit 1', 'commit 1']);

  const rows: string[] = [];
  class Rows extends TwoPhaseCommitSink<number, string[]> {
    beginTransaction(): string[] {
      return [];
    }
    invoke(transaction: string[], value: number): void {
      transaction.push(String(value));
    }
    preCommit(): void {}
    commit(transaction: string[]): void {
      rows.push(...transaction);
    }
    abort(): void {}
  }
  const second = StreamExecutionEnvironment.getExecutionEnvironment();
  second.setParallelism(1);
  second.fromSequence(1, 3).sinkTo(Rows);
  await second.execute();
  t.deepEqual(rows, ['1', '2', '3']);
});
