// One subtask of a vertex fed by network edges, driven by hand: how step() polls its gates, feeds its
// chain, waits, ends its input and finishes its outputs.
import test from 'ava';
import { type JobModule } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import type { InputGate, RunnableSubtask, StreamEvent } from '../../../api/runtime/subtask.ts';
import { LocalInputGate } from '../../../cluster/taskmanager/network/input-gate.ts';
import { WeirError } from '../../../messages/errors.ts';
import { FakeGate, FakeWriter } from '../harness/fakes.ts';
import { fakeContext, within } from '../helpers.ts';

/** The subtask of vertex `vertexId` with the given gates and writers. */
async function subtaskOf(module: JobModule, vertexId: string, gates: InputGate[], writers: FakeWriter[]): Promise<RunnableSubtask> {
  const plan = await planJob(module, []);
  const vertex = plan.graph.vertices.find((candidate) => candidate.id === vertexId);
  if (!vertex) throw new Error(`no vertex ${vertexId} in ${plan.graph.vertices.map((candidate) => candidate.id).join(', ')}`);
  const subtask = plan.createSubtask(vertex, fakeContext({ inputs: gates, outputs: writers, parallelism: vertex.parallelism }));
  await subtask.open();
  return subtask;
}

const middle: JobModule = (env) => void env.fromSequence(1, 10).rebalance().map((n) => n * 10).rebalance().print();

test('step feeds at most maxRecords records from the gates into the chain, keeping the rest of a batch for later', async (t) => {
  const gate = new FakeGate().push(1, 2, 3, 4, 5).push(6, 7);
  const writer = new FakeWriter();
  const subtask = await subtaskOf(middle, 'map-2', [gate], [writer]);
  t.deepEqual(subtask.step(3), { kind: 'more' });
  t.deepEqual(writer.all, [10, 20, 30]);
  t.deepEqual(subtask.step(3), { kind: 'more' });
  t.deepEqual(writer.all, [10, 20, 30, 40, 50, 60]);
  const idle = subtask.step(3);
  t.is(idle.kind, 'wait', 'nothing more is ready');
  t.deepEqual(writer.all, [10, 20, 30, 40, 50, 60, 70]);
  await subtask.close();
});

test('with no input ready step waits on the gates, and the wait settles when a batch arrives', async (t) => {
  const gate = new FakeGate();
  const writer = new FakeWriter();
  const subtask = await subtaskOf(middle, 'map-2', [gate], [writer]);
  const result = subtask.step(100);
  if (result.kind !== 'wait') return t.fail(`expected a wait, got ${result.kind}`);
  let settled = false;
  void result.until.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  t.false(settled);
  gate.push(4);
  await within(result.until);
  subtask.step(100);
  t.deepEqual(writer.all, [40]);
  await subtask.close();
});

test('when every gate has finished, the operators finish, every writer gets finish() once, and step reports finished', async (t) => {
  const gate = new FakeGate().push(1, 2).end();
  const writer = new FakeWriter();
  const subtask = await subtaskOf(middle, 'map-2', [gate], [writer]);
  t.deepEqual(subtask.step(100), { kind: 'finished' });
  t.deepEqual(writer.all, [10, 20]);
  t.is(writer.finishCalls, 1);
  t.deepEqual(subtask.step(100), { kind: 'finished' });
  t.is(writer.finishCalls, 1);
  await subtask.close();
});

test('the gates of a union are polled round robin, so no input starves the others', async (t) => {
  const first = new FakeGate().push('a1').push('a2').push('a3');
  const second = new FakeGate().push('b1').push('b2').push('b3');
  const writer = new FakeWriter();
  const union: JobModule = (env) => void env.fromElements('a').union(env.fromElements('b')).map((s) => s).rebalance().print();
  const subtask = await subtaskOf(union, 'map-3', [first, second], [writer]);
  subtask.step(4);
  t.deepEqual(writer.all, ['a1', 'b1', 'a2', 'b2']);
  await subtask.close();
});

test('records of the second gate of a connect go to the second input of the two-input operator', async (t) => {
  const words = new FakeGate().push('x').end();
  const numbers = new FakeGate().push(7).end();
  const writer = new FakeWriter();
  const connected: JobModule = (env) =>
    void env
      .fromElements('x')
      .connect(env.fromElements(1))
      .map({ map1: (word: string) => `1:${word}`, map2: (n: number) => `2:${n}` })
      .rebalance()
      .print();
  const subtask = await subtaskOf(connected, 'co-map-2', [words, numbers], [writer]);
  t.deepEqual(subtask.step(10), { kind: 'finished' });
  t.deepEqual(writer.all, ['1:x', '2:7']);
  await subtask.close();
});

test('a BATCH aggregation emits its final values only after every gate finished, before its writers finish', async (t) => {
  const gate = new FakeGate().push(['a', 1], ['b', 2]).push(['a', 3]);
  const writer = new FakeWriter();
  const keyed: JobModule = (env) => {
    env.setRuntimeMode('BATCH').fromElements<[string, number]>(['a', 1]).keyBy((pair) => pair[0]).sum(1).rebalance().print();
  };
  const subtask = await subtaskOf(keyed, 'sum-2', [gate], [writer]);
  t.is(subtask.step(10).kind, 'wait');
  t.deepEqual(writer.all, []);
  gate.end();
  t.deepEqual(subtask.step(10), { kind: 'finished' });
  t.deepEqual(writer.all, [
    ['b', 2],
    ['a', 4],
  ], 'key group by key group: "b" is in group 7, "a" in group 26');
  t.is(writer.emitsAfterFinish, 0);
  t.is(writer.finishCalls, 1);
  await subtask.close();
});

test('a subtask given the wrong number of gates or writers fails with PLAN_MISMATCH', async (t) => {
  const error = await t.throwsAsync(subtaskOf(middle, 'map-2', [], [new FakeWriter()]), { instanceOf: WeirError });
  t.is(error.code, 'PLAN_MISMATCH');
  t.is(error.message, 'vertex "map-2" has 1 input edges and 1 output edges, but its subtask was given 0 input gates and 1 output writers');
});

const unionThenMap: JobModule = (env) => void env.fromElements('a').union(env.fromElements('b')).map((s) => s).rebalance().print();

test('the gates of a union feed one watermark valve: the input watermark is the minimum over all their channels', async (t) => {
  const first = new FakeGate();
  const second = new FakeGate();
  const writer = new FakeWriter();
  const subtask = await subtaskOf(unionThenMap, 'map-3', [first, second], [writer]);
  first.pushBatch({ records: ['a1'], timestamps: [10], events: [1, 10] });
  subtask.step(10);
  t.deepEqual(writer.events, [], 'the second gate has no watermark yet');
  second.pushBatch({ records: ['b1'], timestamps: [5], events: [1, 5] });
  subtask.step(10);
  t.deepEqual(writer.events, [{ after: 2, event: 5 }]);
  second.pushBatch({ records: [], timestamps: null, events: [0, 30] });
  subtask.step(10);
  t.deepEqual(writer.events.map(({ event }) => event), [5, 10], 'the first gate holds the minimum now');
  first.end();
  subtask.step(10);
  t.deepEqual(writer.events.map(({ event }) => event), [5, 10, 30], 'an ended channel no longer holds the watermark back');
  await subtask.close();
});

test('records keep their timestamps through the chain, and an idle channel is left out of the minimum', async (t) => {
  const first = new FakeGate();
  const second = new FakeGate();
  const writer = new TimestampWriter();
  const subtask = await subtaskOf(unionThenMap, 'map-3', [first, second], [writer]);
  first.pushBatch({ records: ['a1', 'a2'], timestamps: [undefined, 7], events: [0, 'idle'] });
  second.pushBatch({ records: ['b1'], timestamps: [3], events: [1, 4] });
  subtask.step(10);
  t.deepEqual(writer.elements, ['a1@undefined', 'a2@7', 'b1@3', 'wm:4']);
  await subtask.close();
});

test('an event that is neither a watermark, a status nor a barrier fails the subtask with MALFORMED_FRAME naming the channel', async (t) => {
  const gate = new FakeGate().pushBatch({ records: [1], timestamps: null, events: [0, 'soon'] });
  const subtask = await subtaskOf(middle, 'map-2', [gate], [new FakeWriter()]);
  const error = t.throws(() => subtask.step(10), { instanceOf: WeirError });
  t.is(error?.code, 'MALFORMED_FRAME');
  t.is(error?.message, 'input channel 0 (subtask 0 of "source-sequence-0") sent "soon", which is neither a watermark, a watermark status nor a checkpoint barrier');
  await subtask.close();
});

test('an idle gate is asked for its availability once, however many times a busy neighbour wakes the subtask', async (t) => {
  const busy = new LocalInputGate(1);
  const idle = new LocalInputGate(1);
  let idleAsked = 0;
  const whenAvailable = idle.whenAvailable.bind(idle);
  idle.whenAvailable = () => {
    idleAsked++;
    return whenAvailable();
  };
  const writer = new FakeWriter();
  const subtask = await subtaskOf(unionThenMap, 'map-3', [busy, idle], [writer]);
  for (let wait = 0; wait < 10_000; wait++) {
    const result = subtask.step(10);
    if (result.kind !== 'wait') return t.fail(`step ${wait} did not wait: ${result.kind}`);
    busy.inputChannels[0].deliver({ records: [wait], timestamps: null, events: null });
    await within(result.until, `wait ${wait} to settle`);
  }
  t.is(idleAsked, 1);
  t.true(idle.waiting, 'one answer is still awaited');
  t.is(writer.all.length, 9_999);
  await subtask.close();
});

/** A writer that records `record@timestamp` and `wm:<watermark>` in order. */
class TimestampWriter extends FakeWriter {
  readonly elements: string[] = [];

  override emit(channel: number, record: unknown, timestamp?: number): void {
    super.emit(channel, record, timestamp);
    this.elements.push(`${String(record)}@${String(timestamp)}`);
  }

  override broadcastEvent(event: StreamEvent): void {
    super.broadcastEvent(event);
    this.elements.push(typeof event === 'number' ? `wm:${event}` : `status:${event}`);
  }
}
