// The JobManager's split enumerator host: long polls, answers kept across a 'retry', failures, close.
import test from 'ava';
import type { JobPlan, SplitEnumeratorRuntime } from '../../../api/runtime/subtask.ts';
import { SplitEnumerators } from '../../../cluster/jobmanager/split-enumerators.ts';
import type { InputSplit, JobVertex } from '../../../messages/job-graph.ts';
import { within } from '../helpers.ts';

const vertex: JobVertex = { id: 'source-0', name: 'Source: Spec', parallelism: 2, operators: [], inputs: [], enumeratedSplits: true, bounded: false };

/** An enumerator whose answers the spec releases one by one. */
class ManualEnumerator implements SplitEnumeratorRuntime {
  readonly waiting: { readonly subtaskIndex: number; readonly answer: (split: InputSplit | null) => void; readonly fail: (error: Error) => void }[] = [];
  closed = 0;

  nextSplit(subtaskIndex: number): Promise<InputSplit | null> {
    return new Promise((answer, fail) => this.waiting.push({ subtaskIndex, answer, fail }));
  }

  async close(): Promise<void> {
    this.closed++;
  }
}

function host(enumerator: SplitEnumeratorRuntime, pollMs: number): { enumerators: SplitEnumerators; loads: () => number } {
  let loads = 0;
  const plan = { createSplitEnumerator: () => enumerator } as unknown as JobPlan;
  const enumerators = new SplitEnumerators(() => {
    loads++;
    return Promise.resolve(plan);
  }, pollMs);
  return { enumerators, loads: () => loads };
}

test('a pending answer makes the request say retry after the poll time, and the next request of that subtask gets it', async (t) => {
  const enumerator = new ManualEnumerator();
  const { enumerators, loads } = host(enumerator, 20);
  t.is(await within(enumerators.next(vertex, 0), 'the first poll'), 'retry');
  t.is(enumerator.waiting.length, 1);
  enumerator.waiting[0].answer({ index: 0, payload: 'a' });
  // The answer arrived between two polls: the next request takes it without asking the enumerator again.
  t.deepEqual(await within(enumerators.next(vertex, 0), 'the second poll'), { index: 0, payload: 'a' });
  t.is(enumerator.waiting.length, 1);
  // The next request is a new question.
  const third = enumerators.next(vertex, 0);
  await new Promise((resolve) => setImmediate(resolve));
  t.is(enumerator.waiting.length, 2);
  enumerator.waiting[1].answer(null);
  t.is(await within(third, 'the third poll'), null);
  t.is(loads(), 1);
  t.true(enumerators.loaded);
});

test('subtasks wait independently: one answer does not go to another subtask', async (t) => {
  const enumerator = new ManualEnumerator();
  const { enumerators } = host(enumerator, 1_000);
  const first = enumerators.next(vertex, 0);
  const second = enumerators.next(vertex, 1);
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(
    enumerator.waiting.map((waiting) => waiting.subtaskIndex),
    [0, 1],
  );
  enumerator.waiting[1].answer({ index: 0, payload: 'for 1' });
  t.deepEqual(await within(second, 'subtask 1'), { index: 0, payload: 'for 1' });
  enumerator.waiting[0].answer(null);
  t.is(await within(first, 'subtask 0'), null);
});

test('a failing enumerator rejects the request, and close() closes what was created, once', async (t) => {
  const enumerator = new ManualEnumerator();
  const { enumerators } = host(enumerator, 1_000);
  const request = enumerators.next(vertex, 0);
  await new Promise((resolve) => setImmediate(resolve));
  enumerator.waiting[0].fail(new Error('gone'));
  await t.throwsAsync(within(request, 'the request'), { message: 'gone' });
  t.deepEqual(await enumerators.close(), []);
  t.deepEqual(await enumerators.close(), []);
  t.is(enumerator.closed, 1);
});

test('a plan that cannot be loaded rejects the request; nothing is loaded before the first request', async (t) => {
  const enumerators = new SplitEnumerators(() => Promise.reject(new Error('bundle missing')), 1_000);
  t.false(enumerators.loaded);
  await t.throwsAsync(within(enumerators.next(vertex, 0), 'the request'), { message: 'bundle missing' });
  t.deepEqual(await enumerators.close(), ['bundle missing']);
});
