// Backpressure: a subtask whose output writer has no room takes no input until the writer has room
// again, so a slow consumer holds its producers, and through them the sources, back.
import test from 'ava';
import { type JobModule } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import type { OutputWriter, RunnableSubtask } from '../../../api/runtime/subtask.ts';
import { FakeGate, FakeWriter } from '../harness/fakes.ts';
import { MemoryExchange } from '../harness/memory-channels.ts';
import { SplitQueue, fakeContext, within } from '../helpers.ts';

async function subtaskOf(module: JobModule, vertexId: string, gates: FakeGate[], writers: OutputWriter[], splits?: SplitQueue): Promise<RunnableSubtask> {
  const plan = await planJob(module, []);
  const vertex = plan.graph.vertices.find((candidate) => candidate.id === vertexId);
  if (!vertex) throw new Error(`no vertex ${vertexId}`);
  const queue = splits ?? new SplitQueue(vertex.splits);
  const subtask = plan.createSubtask(vertex, fakeContext({ inputs: gates, outputs: writers, requestSplit: () => queue.request(0) }));
  await subtask.open();
  return subtask;
}

/** A writer that turns unavailable once it holds `room` records, until drain(). */
class SmallWriter extends FakeWriter {
  constructor(private readonly room: number) {
    super(1);
  }

  override emit(channel: number, record: unknown): void {
    super.emit(channel, record);
    if (this.all.length >= this.room) this.setAvailable(false);
  }
}

const middle: JobModule = (env) => void env.fromSequence(1, 10).rebalance().map((n) => n * 10).rebalance().print();

test('a writer that is not available stops the chain from polling its gates until it has room', async (t) => {
  const gate = new FakeGate().push(1, 2, 3);
  const writer = new FakeWriter();
  writer.setAvailable(false);
  const subtask = await subtaskOf(middle, 'map-2', [gate], [writer]);
  const blocked = subtask.step(100);
  if (blocked.kind !== 'wait') return t.fail(`expected a wait, got ${blocked.kind}`);
  t.is(gate.polls, 0);
  t.deepEqual(writer.all, []);
  t.is(subtask.step(100).kind, 'wait', 'still blocked, still not polling');
  t.is(gate.polls, 0);
  writer.setAvailable(true);
  await within(blocked.until);
  subtask.step(100);
  t.deepEqual(writer.all, [10, 20, 30]);
  await subtask.close();
});

test('a writer that fills up within a step stops the polling before the next batch', async (t) => {
  const gate = new FakeGate().push(1, 2).push(3, 4).push(5, 6);
  const writer = new SmallWriter(2);
  const subtask = await subtaskOf(middle, 'map-2', [gate], [writer]);
  t.deepEqual(subtask.step(100), { kind: 'more' });
  t.is(gate.polls, 1);
  t.deepEqual(writer.all, [10, 20]);
  t.is(subtask.step(100).kind, 'wait');
  t.is(gate.polls, 1);
  await subtask.close();
});

test('a writer that is not available stops a source from reading', async (t) => {
  const writer = new FakeWriter();
  writer.setAvailable(false);
  const plan = await planJob(middle, []);
  const splits = new SplitQueue(plan.graph.vertices[0].splits);
  const subtask = await subtaskOf(middle, 'source-sequence-0', [], [writer], splits);
  t.is(subtask.step(100).kind, 'wait');
  t.is(subtask.step(100).kind, 'wait');
  t.deepEqual(splits.handedOut, [], 'not even a split was requested');
  t.deepEqual(writer.all, []);
  await subtask.close();
});

test('a consumer that does not poll holds the source back: it reads only until the channel is full', async (t) => {
  const exchange = new MemoryExchange(1, 1, { batchSize: 4, capacity: 2 });
  const big: JobModule = (env) => void env.fromSequence(1, 100_000).rebalance().print();
  const subtask = await subtaskOf(big, 'source-sequence-0', [], [exchange.writer(0)]);
  let result = subtask.step(3);
  for (let steps = 0; steps < 1000 && result.kind !== 'wait'; steps++) result = subtask.step(3);
  if (result.kind !== 'wait') return t.fail('the source never stopped');
  for (let waits = 0; waits < 10 && result.kind === 'wait' && exchange.recordsSent === 0; waits++) {
    await within(result.until);
    result = subtask.step(3);
  }
  for (let steps = 0; steps < 1000 && result.kind === 'more'; steps++) result = subtask.step(3);
  t.is(result.kind, 'wait');
  const read = exchange.recordsSent;
  t.true(read <= 2 * 4 + 3, `${read} records left the source before it stopped: the channel holds 2 batches of 4, a step reads 3`);
  const gate = exchange.gate(0);
  gate.poll();
  if (result.kind === 'wait') await within(result.until);
  t.is(subtask.step(3).kind, 'more', 'a polled batch gives the source room again');
  subtask.cancel();
  await subtask.close();
});

test('BATCH final results are emitted at most maxRecords per step, waiting whenever the writer is full', async (t) => {
  const keys = Array.from({ length: 10 }, (_, index) => [`k${index}`, index] as [string, number]);
  const gate = new FakeGate().push(...keys).end();
  const writer = new SmallWriter(3);
  const keyed: JobModule = (env) => void env.setRuntimeMode('BATCH').fromElements<[string, number]>(['a', 1]).keyBy((pair) => pair[0]).sum(1).rebalance().print();
  const subtask = await subtaskOf(keyed, 'sum-2', [gate], [writer]);
  const emittedPerStep: number[] = [];
  for (let steps = 0; steps < 100; steps++) {
    const before = writer.all.length;
    const result = subtask.step(2);
    emittedPerStep.push(writer.all.length - before);
    if (result.kind === 'finished') break;
    if (result.kind === 'wait') {
      t.false(writer.available);
      writer.emitted[0].length = 0;
      (writer as FakeWriter).setAvailable(true);
      await within(result.until);
      emittedPerStep.push(-1);
    }
  }
  t.is(writer.finishCalls, 1);
  t.true(emittedPerStep.every((count) => count <= 2), `at most 2 records per step: ${emittedPerStep.join(' ')}`);
  t.true(emittedPerStep.includes(-1), 'the writer filled up and the subtask waited for it');
  t.is(emittedPerStep.filter((count) => count > 0).reduce((sum, count) => sum + count, 0), 10);
  await subtask.close();
});
