// A subtask's checkpoint from trigger to SubtaskSnapshot and back: a snapshot taken mid-stream, sent
// through msgpack as the Task writes it, and restored into a fresh subtask continues exactly where
// the first left off.
import test from 'ava';
import type { FunctionInitializationContext, ListState, MapFunction } from '../../../../api/index.ts';
import { ListStateDescriptor } from '../../../../api/index.ts';
import { planJob } from '../../../../api/internal.ts';
import type { ChainOperator } from '../../../../api/runtime/chain.ts';
import type { SubtaskSnapshot } from '../../../../api/runtime/checkpointing/snapshot.ts';
import type { JobModule } from '../../../../api/index.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { RecordingResponder, barrier, sourceSubtask, stepUntil, throughMsgpack } from '../../harness/checkpoints.ts';
import { FakeGate, FakeWriter } from '../../harness/fakes.ts';
import { fakeContext, stepToEnd, within } from '../../helpers.ts';

test('fromSequence restored from a mid-split snapshot continues with the next number: nothing lost, nothing twice', async (t) => {
  let out: number[] = [];
  const module: JobModule = (env) => void env.fromSequence(1, 60).map((n) => n).sinkTo((n) => void out.push(n));
  const plan = await planJob(module, []);
  const responder = new RecordingResponder();
  const first = sourceSubtask(plan, responder);
  await first.open();
  await stepUntil(first, () => out.length >= 22);
  first.triggerCheckpoint(barrier(1));
  const before = out;
  first.cancel();
  await first.close();

  t.is(responder.acks.length, 1);
  const { snapshot } = responder.acks[0];
  t.is(snapshot.checkpointId, 1);
  t.is(snapshot.source?.splitsReceived, 2, '22 numbers read: the second split of 15 is being read');
  t.deepEqual(snapshot.source?.splits, [{ split: 1, payload: { from: 16, to: 30 }, offset: 7 }]);

  out = [];
  const second = sourceSubtask(plan, responder, throughMsgpack(snapshot));
  await second.open();
  await stepToEnd(second, 7);
  await second.close();
  t.deepEqual([...before, ...out], Array.from({ length: 60 }, (_, index) => index + 1));
  t.deepEqual(before.slice(-2), [21, 22]);
  t.is(out[0], 23);
});

test('a checkpoint snapshots every operator by id, sends the barrier on every output, then acknowledges with the time it took', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 10).keyBy((n) => n % 2).map((n) => n).print(), []);
  const responder = new RecordingResponder();
  const writer = new FakeWriter(2);
  const subtask = sourceSubtask(plan, responder, undefined, [writer]);
  await subtask.open();
  await stepUntil(subtask, () => writer.all.length >= 3);
  const emittedBefore = writer.emitted[0].length;
  subtask.triggerCheckpoint(barrier(4));
  t.deepEqual(writer.events, [{ after: emittedBefore, event: barrier(4) }], 'the barrier follows every record sent before the checkpoint');
  t.is(responder.acks.length, 1);
  const { barrier: acknowledged, snapshot, syncMs } = responder.acks[0];
  t.deepEqual(acknowledged, barrier(4));
  t.true(syncMs >= 0 && syncMs < 1_000);
  t.deepEqual(Object.keys(snapshot.operators), [], 'the source vertex chains no operator after the source');
  t.deepEqual(snapshot.source, { splitsReceived: 2, splits: [{ split: 1, payload: { from: 4, to: 6 }, offset: 0 }] }, 'split 0 is read; split 1 arrived, not started');
  subtask.cancel();
  await subtask.close();
});

test('a subtask that is not running declines a trigger, naming itself and its phase', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 10).print(), []);
  const responder = new RecordingResponder();
  const subtask = sourceSubtask(plan, responder);
  subtask.triggerCheckpoint(barrier(2));
  t.deepEqual(responder.declines, [{ checkpointId: 2, reason: 'Source: Sequence -> Sink: Print (1/1) cannot take checkpoint 2: it is created, not running' }]);
  await subtask.open();
  await stepToEnd(subtask);
  subtask.triggerCheckpoint(barrier(3));
  t.is(responder.declines[1].reason, 'Source: Sequence -> Sink: Print (1/1) cannot take checkpoint 3: it is finished, not running');
  t.is(responder.acks.length, 0);
  await subtask.close();
});

test('a subtask fed by network edges triggered before the end of its input declines: its barriers come through its input', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 10).keyBy((n) => n).map((n) => n).print(), []);
  const responder = new RecordingResponder();
  const subtask = plan.createSubtask(plan.graph.vertices[1], fakeContext({ inputs: [new FakeGate()], checkpointResponder: responder }));
  await subtask.open();
  // The JobManager triggers it only once its inputs finished (a final checkpoint); still reading, it declines.
  subtask.triggerCheckpoint(barrier(1));
  t.deepEqual(responder.acks, []);
  t.deepEqual(responder.declines.map(({ checkpointId }) => checkpointId), [1]);
  t.regex(responder.declines[0]?.reason ?? '', /cannot take checkpoint 1 yet: its inputs finished, and it is running through what they sent/);
  subtask.cancel();
  await subtask.close();
});

class Buffering implements MapFunction<number, number> {
  private state!: ListState<number>;
  private readonly seen: number[] = [];
  static restoredWith: number[] | null = null;

  initializeState(context: FunctionInitializationContext): void {
    this.state = context.getOperatorStateStore().getListState(new ListStateDescriptor<number>('seen'));
    if (context.isRestored()) {
      this.seen.push(...this.state.get());
      Buffering.restoredWith = [...this.seen];
    }
  }

  snapshotState(): void {
    this.state.update(this.seen);
  }

  map(value: number): number {
    this.seen.push(value);
    return this.seen.length;
  }
}

test("a CheckpointedFunction's operator list state is snapshotted after its snapshotState() and restored before open()", async (t) => {
  let out: number[] = [];
  const plan = await planJob((env) => void env.fromSequence(1, 20).map(Buffering).uid('buffering').sinkTo((n) => void out.push(n)), []);
  const responder = new RecordingResponder();
  const first = sourceSubtask(plan, responder);
  await first.open();
  await stepUntil(first, () => out.length >= 8);
  first.triggerCheckpoint(barrier(1));
  first.cancel();
  await first.close();
  const seen = Array.from({ length: out.length }, (_, index) => index + 1);
  const { snapshot } = responder.acks[0];
  t.deepEqual(snapshot.operators.buffering?.operatorState, { lists: { seen: { mode: 'split', items: seen } }, broadcast: {} });

  out = [];
  const second = sourceSubtask(plan, responder, throughMsgpack(snapshot));
  await second.open();
  t.deepEqual(Buffering.restoredWith, seen);
  await stepToEnd(second);
  await second.close();
  t.deepEqual(out, Array.from({ length: 20 - seen.length }, (_, index) => seen.length + index + 1), 'the function counts on from the records it had seen');
});

test('what a snapshotState() throws declines the checkpoint and fails the subtask, naming the operator', async (t) => {
  const plan = await planJob(
    (env) =>
      void env
        .fromSequence(1, 20)
        .map({
          map: (n: number) => n,
          snapshotState: () => {
            throw new Error('disk full');
          },
        })
        .name('Fragile')
        .uid('fragile')
        .print(),
    [],
  );
  const responder = new RecordingResponder();
  const subtask = sourceSubtask(plan, responder);
  await subtask.open();
  subtask.step(5);
  const error = t.throws(() => subtask.triggerCheckpoint(barrier(1)), { instanceOf: WeirError });
  t.is(error?.code, 'USER_FUNCTION_FAILED');
  t.is(error?.message, 'operator "Fragile" (id "fragile") failed in snapshotState(): disk full');
  t.deepEqual(responder.declines, [{ checkpointId: 1, reason: `Source: Sequence -> Fragile -> Sink: Print (1/1): ${error?.message}` }]);
  t.is(responder.acks.length, 0);
  t.throws(() => subtask.step(5), { is: error }, 'the subtask has failed');
  await subtask.close();
});

test('state of an operator the chain does not have fails the restore with STATE_NOT_RESTORED naming its id', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 20).map((n) => n).uid('kept').print(), []);
  const snapshot: SubtaskSnapshot = { checkpointId: 3, operators: { kept: { watermark: 5 }, removed: { watermark: 5 } } };
  const subtask = sourceSubtask(plan, new RecordingResponder(), snapshot);
  const error = await t.throwsAsync(subtask.open(), { instanceOf: WeirError });
  t.is(error?.code, 'STATE_NOT_RESTORED');
  t.is(
    error?.message,
    'Source: Sequence -> Map -> Sink: Print (1/1): the snapshot holds state of operator "removed", which this chain does not have (its operators: "kept", "sink-print-2"); give operators stable ids with uid() to keep their state across changes',
  );
  await subtask.close();
});

test('checkpoint completion reaches every operator head first; the Task waits for the ones that take a while; a throw names the operator', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 5).map((n) => n).uid('a').map((n) => n).uid('b').print(), []);
  const subtask = sourceSubtask(plan, new RecordingResponder());
  const heard: string[] = [];
  let release!: () => void;
  const slow = new Promise<void>((resolve) => (release = resolve));
  await subtask.open();
  // The chain's own operators, with their hooks replaced (a transactional sink's are the real case).
  const operators = (subtask as unknown as { chain: { operators: Pick<ChainOperator<unknown>, 'notifyCheckpointComplete' | 'notifyCheckpointAborted'>[] } }).chain.operators;
  operators[0].notifyCheckpointComplete = (id) => (heard.push(`a:${id}`), null);
  operators[1].notifyCheckpointComplete = (id) => (heard.push(`b:${id}`), slow);
  operators[0].notifyCheckpointAborted = (id) => void heard.push(`a aborted:${id}`);
  operators[1].notifyCheckpointAborted = () => {
    throw new Error('cannot roll back');
  };
  const waiting = subtask.notifyCheckpointComplete(7);
  t.deepEqual(heard, ['a:7', 'b:7']);
  t.truthy(waiting);
  let settled = false;
  void waiting?.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  t.false(settled, 'the promise settles once the slow operator is done');
  release();
  await within(waiting as Promise<void>);
  const error = t.throws(() => subtask.notifyCheckpointAborted(8), { instanceOf: WeirError });
  t.is(error?.message, 'operator "Map" (id "b") failed in notifyCheckpointAborted(8): cannot roll back');
  t.deepEqual(heard, ['a:7', 'b:7', 'a aborted:8']);
  await subtask.close();
});
