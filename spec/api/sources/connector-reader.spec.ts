// How a connector's reader takes splits: one at a time by default (the next is asked for once the
// current one is exhausted), or `concurrentSplits` side by side, sharing each step's budget in turns.
// One source subtask, driven step by step, without event time: records leave as `record@undefined`.
import test from 'ava';
import type { JobModule, Source } from '../../../api/index.ts';
import { Feed, SplitDesk, connectorSubtask, runUntilQuiet } from './source-fixtures.ts';

/** Split i is `splits[i]`; `asked` counts the enumerator's nextSplit calls. */
function listSource(desk: SplitDesk<number>, splits: readonly (Iterable<string> | AsyncIterable<string>)[], asked: { count: number }, concurrentSplits?: number): Source<string, number> {
  return {
    boundedness: 'unbounded',
    ...(concurrentSplits !== undefined ? { concurrentSplits } : {}),
    createEnumerator: () => ({
      nextSplit: () => {
        asked.count++;
        return desk.next();
      },
    }),
    createReader: () => ({ read: (index) => splits[index] }),
  };
}

const job =
  (source: Source<string, number>): JobModule =>
  (env) =>
    void env.fromSource(source).rebalance().print();

function* endless(record: string): Generator<string> {
  for (;;) yield record;
}

test('by default a reader asks for its next split only once the current one is exhausted', async (t) => {
  const desk = new SplitDesk<number>();
  const first = new Feed<string>();
  const asked = { count: 0 };
  const { subtask, writer } = await connectorSubtask(t, job(listSource(desk, [first, ['c']], asked)), String);
  desk.offer(0, 1, null);
  first.push('a', 'b');
  t.is(await runUntilQuiet(subtask), 'waiting');
  t.deepEqual(writer.elements, ['a@undefined', 'b@undefined']);
  t.is(asked.count, 1, 'the reader waits for its split\'s records, not for another split');
  first.end();
  t.is(await runUntilQuiet(subtask), 'finished');
  t.deepEqual(writer.elements, ['a@undefined', 'b@undefined', 'c@undefined']);
  t.is(asked.count, 3);
});

test('with concurrentSplits, a reader reads that many splits side by side, in turns, so an endless split starves no other', async (t) => {
  const desk = new SplitDesk<number>();
  const asked = { count: 0 };
  const { subtask, writer } = await connectorSubtask(t, job(listSource(desk, [endless('x'), ['y1', 'y2', 'y3']], asked, 2)), (record) => String(record));
  desk.offer(0, 1);
  for (let steps = 0; steps < 4; steps++) {
    subtask.step(4);
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Step 1 asks for a split; step 2 reads the first alone while asking for the second; then each
  // split takes half of the 4 records, starting one further each step; y3's split then ends.
  t.deepEqual(
    writer.elements.map((element) => element.replace('@undefined', '')),
    ['x', 'x', 'x', 'x', 'y1', 'y2', 'x', 'x', 'x', 'x', 'y3'],
  );
  t.is(asked.count, 3, 'the ended split made room: the reader asked for a third');
});
