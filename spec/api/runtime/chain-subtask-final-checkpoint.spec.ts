// FLIP-147's final checkpoint in one subtask: a sink chain with a two-phase-commit sink, fed by a
// network edge, that reaches the end of its input with periodic checkpoints keeps its last
// transaction open ('awaiting-final-checkpoint') until a checkpoint it takes after its end
// completes; only that commit, a cancel or a failed commit end the wait.
import test from 'ava';
import { TwoPhaseCommitSink } from '../../../api/index.ts';
import { planJob } from '../../../api/runtime/plan.ts';
import type { JobPlan, RunnableSubtask, StepResult } from '../../../api/runtime/subtask.ts';
import { WeirError } from '../../../messages/errors.ts';
import { RecordingResponder, barrier } from '../harness/checkpoints.ts';
import { FakeGate } from '../harness/fakes.ts';
import { MAX_STEPS, fakeContext, stepToEnd } from '../helpers.ts';

/** Every call of the sink, in order, and what is committed. */
class Calls {
  readonly log: string[] = [];
  readonly committed: number[] = [];
  failCommits = false;
}

class RecordingSink extends TwoPhaseCommitSink<number, { readonly id: number; readonly rows: number[] }> {
  private next = 1;

  constructor(private readonly calls: Calls) {
    super();
  }

  beginTransaction() {
    this.calls.log.push(`begin ${this.next}`);
    return { id: this.next++, rows: [] };
  }

  invoke(transaction: { readonly id: number; readonly rows: number[] }, value: number): void {
    transaction.rows.push(value);
    this.calls.log.push(`invoke ${transaction.id} ${value}`);
  }

  preCommit(transaction: { readonly id: number }): void {
    this.calls.log.push(`preCommit ${transaction.id}`);
  }

  commit(transaction: { readonly id: number; readonly rows: number[] }): void {
    this.calls.log.push(`commit ${transaction.id}`);
    if (this.calls.failCommits) throw new Error(`the database refused transaction ${transaction.id}`);
    this.calls.committed.push(...transaction.rows);
  }

  abort(transaction: { readonly id: number }): void {
    this.calls.log.push(`abort ${transaction.id}`);
  }
}

interface SinkSubtask {
  readonly subtask: RunnableSubtask;
  readonly gate: FakeGate;
  readonly responder: RecordingResponder;
  readonly calls: Calls;
}

/** The sink vertex of `fromSequence -> keyBy -> sinkTo(RecordingSink)`, fed by a gate the spec drives, opened. */
async function sinkSubtask(finalCheckpoint: boolean): Promise<SinkSubtask> {
  const calls = new Calls();
  const plan: JobPlan = await planJob((env) => void env.fromSequence(1, 10).keyBy((n) => n).sinkTo(new RecordingSink(calls)), []);
  const gate = new FakeGate();
  const responder = new RecordingResponder();
  const subtask = plan.createSubtask(plan.graph.vertices[1], fakeContext({ inputs: [gate], checkpointResponder: responder, finalCheckpoint }));
  await subtask.open();
  return { subtask, gate, responder, calls };
}

/**
 * Steps as the Task does until the subtask finishes or waits for something that does not settle
 * within a turn of the event loop; returns that wait (null once finished).
 */
async function stepUntilIdle(subtask: RunnableSubtask): Promise<{ readonly waiting: Promise<void> } | null> {
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const result: StepResult = subtask.step(100);
    if (result.kind === 'finished') return null;
    if (result.kind === 'more') continue;
    const waiting = result.until.then(() => undefined);
    if (!(await settlesWithinATurn(waiting))) return { waiting };
  }
  throw new Error(`the subtask kept stepping for ${MAX_STEPS} steps`);
}

/** stepUntilIdle() for a subtask that must wait at the end of its input. */
async function waitingAtEnd(subtask: RunnableSubtask): Promise<{ readonly waiting: Promise<void> }> {
  const idle = await stepUntilIdle(subtask);
  if (idle === null) throw new Error('the subtask finished instead of waiting for its final checkpoint');
  return idle;
}

async function settlesWithinATurn(promise: Promise<void>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

test('a transactional sink that ends keeps its last transaction open until a checkpoint taken after its end completes, then finishes', async (t) => {
  const { subtask, gate, responder, calls } = await sinkSubtask(true);
  gate.push(1, 2).end();
  const { waiting } = await waitingAtEnd(subtask);
  t.deepEqual(calls.log, ['begin 1', 'invoke 1 1', 'invoke 1 2'], 'nothing pre-committed or committed at the end of input');

  subtask.triggerCheckpoint(barrier(5));
  t.deepEqual(responder.acks.map((ack) => ack.barrier.checkpointId), [5]);
  t.deepEqual(calls.log.slice(3), ['preCommit 1', 'begin 2']);
  t.false(await settlesWithinATurn(waiting), 'a snapshot alone does not end the wait');

  t.is(subtask.notifyCheckpointComplete(5), null);
  t.deepEqual(calls.committed, [1, 2]);
  t.true(await settlesWithinATurn(waiting), 'the commit ends the wait');
  t.is(subtask.step(100).kind, 'finished');
  await subtask.close();
  t.deepEqual(calls.log.slice(5), ['commit 1', 'abort 2'], 'the empty transaction the final checkpoint began is aborted at close');
});

test('triggered before the end of its input it declines; a checkpoint taken before its end, or one aborted, does not end the wait', async (t) => {
  const { subtask, gate, responder, calls } = await sinkSubtask(true);
  gate.push(1);
  t.not(await stepUntilIdle(subtask), null);
  subtask.triggerCheckpoint(barrier(2));
  t.deepEqual(responder.declines, [{ checkpointId: 2, reason: 'Sink: Two-Phase Commit (1/1) cannot take checkpoint 2 yet: its inputs finished, and it is running through what they sent' }]);
  // Checkpoint 3's barrier arrives in the input before the last record: its snapshot holds record 1 only.
  gate.pushBatch({ records: [], timestamps: null, events: [0, barrier(3)] }).push(2).end();
  const { waiting } = await waitingAtEnd(subtask);
  t.deepEqual(responder.acks.map((ack) => ack.barrier.checkpointId), [3]);
  t.is(subtask.notifyCheckpointComplete(3), null);
  t.deepEqual(calls.committed, [1]);
  t.false(await settlesWithinATurn(waiting), 'record 2 came after checkpoint 3: the wait goes on');

  subtask.triggerCheckpoint(barrier(4));
  subtask.notifyCheckpointAborted(4);
  t.false(await settlesWithinATurn(waiting), 'an aborted final checkpoint does not end the wait');
  subtask.triggerCheckpoint(barrier(5));
  t.is(subtask.notifyCheckpointComplete(5), null);
  t.deepEqual(calls.committed, [1, 2], 'checkpoint 5 commits the transaction checkpoint 4 pre-committed');
  t.deepEqual(calls.log.filter((call) => call.startsWith('commit')), ['commit 1', 'commit 2', 'commit 3']);
  await stepToEnd(subtask);
  await subtask.close();
});

test('a cancel ends the wait: nothing more is committed and close() aborts the open transaction', async (t) => {
  const { subtask, gate, calls } = await sinkSubtask(true);
  gate.push(1).end();
  const { waiting } = await waitingAtEnd(subtask);
  subtask.cancel();
  t.true(await settlesWithinATurn(waiting));
  t.is(subtask.step(100).kind, 'finished');
  await subtask.close();
  t.deepEqual(calls.committed, []);
  t.deepEqual(calls.log, ['begin 1', 'invoke 1 1', 'abort 1']);
});

test('a commit that fails at the final checkpoint fails the subtask: its next step throws the error naming the sink', async (t) => {
  const { subtask, gate, calls } = await sinkSubtask(true);
  gate.push(1).end();
  const { waiting } = await waitingAtEnd(subtask);
  calls.failCommits = true;
  subtask.triggerCheckpoint(barrier(7));
  const committing = subtask.notifyCheckpointComplete(7);
  await t.throwsAsync(committing ?? Promise.resolve(), { instanceOf: WeirError });
  t.true(await settlesWithinATurn(waiting));
  const error = t.throws(() => subtask.step(100), { instanceOf: WeirError });
  t.is(error?.code, 'USER_FUNCTION_FAILED');
  t.is(error?.message, 'operator "Sink: Two-Phase Commit" (id "sink-two-phase-commit-2") failed in commit(): the database refused transaction 1');
  await subtask.close();
});

test('without periodic checkpoints the end of input commits the last transaction itself', async (t) => {
  const { subtask, gate, responder, calls } = await sinkSubtask(false);
  gate.push(1, 2).end();
  t.is(await stepUntilIdle(subtask), null, 'it finishes without waiting');
  await subtask.close();
  t.deepEqual(calls.committed, [1, 2]);
  t.deepEqual(calls.log, ['begin 1', 'invoke 1 1', 'invoke 1 2', 'preCommit 1', 'commit 1']);
  t.deepEqual(responder.acks, []);
});

test('a sink of the same chain still flushing at the end keeps the subtask from finishing, even once the final checkpoint committed', async (t) => {
  const calls = new Calls();
  const pending: (() => void)[] = [];
  const plan: JobPlan = await planJob((env) => {
    const mapped = env.fromSequence(1, 10).keyBy((n) => n).map((n) => n);
    mapped.sinkTo(new RecordingSink(calls));
    mapped.sinkTo({ invoke: () => new Promise<void>((resolve) => pending.push(resolve)) });
  }, []);
  const vertex = plan.graph.vertices[1];
  t.deepEqual(vertex.operators.map((operator) => operator.kind).filter((kind) => kind.startsWith('sink')).length, 2, 'both sinks in one chain');
  const gate = new FakeGate();
  const responder = new RecordingResponder();
  const subtask = plan.createSubtask(vertex, fakeContext({ inputs: [gate], checkpointResponder: responder, finalCheckpoint: true }));
  await subtask.open();
  gate.push(1).end();
  await waitingAtEnd(subtask);
  t.true(pending.length > 0, 'the async sink has a call in flight');
  subtask.triggerCheckpoint(barrier(5));
  t.is(subtask.notifyCheckpointComplete(5), null);
  t.deepEqual(calls.committed, [1]);
  t.not(subtask.step(100).kind, 'finished', 'the async sink has not flushed yet');
  for (const resolve of pending) resolve();
  await stepToEnd(subtask);
  await subtask.close();
});
