// One subtask of a vertex fed by network edges, driven by hand: how step() polls its gates, feeds its
// chain, waits, ends its input and finishes its outputs.
import test from 'ava';
import { type JobModule } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import type { RunnableSubtask } from '../../../api/runtime/subtask.ts';
import { WeirError } from '../../../messages/errors.ts';
import { FakeGate, FakeWriter } from '../harness/fakes.ts';
import { fakeContext, within } from '../helpers.ts';

/** The subtask of vertex `vertexId` with the given gates and writers. */
async function subtaskOf(module: JobModule, vertexId: string, gates: FakeGate[], writers: FakeWriter[]): Promise<RunnableSubtask> {
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
