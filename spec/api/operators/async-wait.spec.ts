// The async operator inside one subtask, stepped by hand as the Task does: calls complete between
// steps (promises the spec settles), so a spec can look at what each step read, called and emitted.
import test from 'ava';
import { type JobModule } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import type { RunnableSubtask, StepResult } from '../../../api/runtime/subtask.ts';
import { FakeGate, FakeWriter } from '../harness/fakes.ts';
import { subtaskOf, within } from '../helpers.ts';

/** A call the spec completes by hand. */
interface Call {
  readonly value: number;
  settled: boolean;
  resolve(result: number): void;
  reject(error: Error): void;
}

/** An async function whose calls stay pending until the spec settles them (listed in `calls`, in call order). */
function heldCalls(): { readonly calls: Call[]; readonly fn: (value: number) => Promise<number> } {
  const calls: Call[] = [];
  const fn = (value: number): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const call: Call = {
        value,
        settled: false,
        resolve: (result) => ((call.settled = true), resolve(result)),
        reject: (error) => ((call.settled = true), reject(error)),
      };
      calls.push(call);
    });
  return { calls, fn };
}

/** Opens a subtask of the vertex `vertexId` of the planned module, fed by `gate` and writing to `writer`. */
async function openSubtask(module: JobModule, vertexId: string, gate?: FakeGate, writer?: FakeWriter): Promise<RunnableSubtask> {
  const plan = await planJob(module, []);
  const vertexIndex = plan.graph.vertices.findIndex((candidate) => candidate.id === vertexId);
  const subtask = subtaskOf(plan, { vertexIndex, inputs: gate ? [gate] : [], outputs: writer ? [writer] : [] });
  await subtask.open();
  return subtask;
}

/** Lets every settled call's handlers run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Whether `promise` has settled (after the handlers that are due ran). */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await settle();
  return settled;
}

test('a full async operator holds the source back: records read stay within capacity plus one step of what completed', async (t) => {
  const { calls, fn } = heldCalls();
  let read = 0;
  const completed: number[] = [];
  const capacity = 5;
  const stepRecords = 10;
  const module: JobModule = (env) => {
    env
      .fromSequence(1, 100_000)
      .map((n) => (read++, n))
      .mapAsync(fn, { capacity })
      .sinkTo((n) => void completed.push(n));
  };
  const subtask = await openSubtask(module, 'source-sequence-0');
  let result: StepResult = subtask.step(stepRecords);
  // The first steps wait for the source's split.
  for (let steps = 0; read === 0 && steps < 10; steps++) {
    if (result.kind === 'wait') await within(result.until);
    result = subtask.step(stepRecords);
  }
  t.is(result.kind, 'wait', 'full after one step of records');
  t.is(read, stepRecords);
  t.is(calls.length, capacity, 'only `capacity` of the records read were called');
  t.is(subtask.step(stepRecords).kind, 'wait', 'still waiting: no more input');
  t.is(read, stepRecords);
  let state = 5;
  for (let round = 0; round < 200; round++) {
    // Complete a pseudo-random pending call (not always the oldest).
    const pending = calls.filter((call) => !call.settled);
    state = (state * 31 + 7) % 1009;
    const call = pending[state % pending.length];
    call.resolve(call.value);
    if (result.kind === 'wait') await within(result.until);
    else await settle();
    result = subtask.step(stepRecords);
    const inFlight = calls.filter((candidate) => !candidate.settled).length;
    t.true(inFlight <= capacity, `round ${round}: ${inFlight} calls in flight`);
    t.true(read - completed.length <= capacity + stepRecords, `round ${round}: ${read} read, ${completed.length} completed`);
  }
  t.deepEqual(
    completed,
    completed.map((_, index) => index + 1),
    'results in input order',
  );
  t.true(completed.length > 100, 'the job made progress');
  subtask.cancel();
  await subtask.close();
});

/** A vertex fed by a gate and writing to a writer: rebalance before and after the async operator. */
const middle = (fn: (value: number) => Promise<number>): JobModule => (env) => void env.fromSequence(1, 10).rebalance().mapAsync(fn).rebalance().print();

test('a step whose input has nothing waits for the input or for a completion, whichever comes first', async (t) => {
  const { calls, fn } = heldCalls();
  const gate = new FakeGate().push(1, 2, 3);
  const writer = new FakeWriter();
  const subtask = await openSubtask(middle(fn), 'async-map-2', gate, writer);
  const idle = subtask.step(100);
  if (idle.kind !== 'wait') return t.fail(`expected a wait, got ${idle.kind}`);
  t.is(calls.length, 3);
  t.false(await isSettled(idle.until), 'nothing to read and nothing completed yet');
  calls[1].resolve(20);
  t.true(await isSettled(idle.until), 'a completion wakes the subtask although the gate has nothing');
  t.is(subtask.step(100).kind, 'wait');
  t.deepEqual(writer.all, [], 'the second result waits for the first');
  calls[0].resolve(10);
  calls[2].resolve(30);
  await settle();
  subtask.step(100);
  t.deepEqual(writer.all, [10, 20, 30]);
  subtask.cancel();
  await subtask.close();
});

test('at the end of input the subtask waits for the calls in flight, then emits their results and finishes', async (t) => {
  const { calls, fn } = heldCalls();
  const gate = new FakeGate().push(1, 2, 3).end();
  const writer = new FakeWriter();
  const subtask = await openSubtask(middle(fn), 'async-map-2', gate, writer);
  const draining = subtask.step(100);
  if (draining.kind !== 'wait') return t.fail(`expected a wait, got ${draining.kind}`);
  t.is(writer.finishCalls, 0, 'not finished while calls are in flight');
  t.false(await isSettled(draining.until));
  for (const call of calls) call.resolve(call.value * 10);
  await within(draining.until);
  let result = subtask.step(100);
  for (let steps = 0; steps < 10 && result.kind !== 'finished'; steps++) {
    if (result.kind === 'wait') await within(result.until);
    result = subtask.step(100);
  }
  t.is(result.kind, 'finished');
  t.deepEqual(writer.all, [10, 20, 30]);
  t.is(writer.finishCalls, 1);
  await subtask.close();
});

test('closing abandons the calls in flight: their later results and rejections emit and throw nothing', async (t) => {
  const { calls, fn } = heldCalls();
  const gate = new FakeGate().push(1, 2, 3, 4);
  const writer = new FakeWriter();
  const subtask = await openSubtask(middle(fn), 'async-map-2', gate, writer);
  t.is(subtask.step(100).kind, 'wait');
  subtask.cancel();
  await subtask.close();
  calls[0].resolve(10);
  calls[1].reject(new Error('too late'));
  calls[2].resolve(30);
  await settle();
  t.deepEqual(writer.all, []);
});
