// A connector's reader in a checkpoint (api/sources/connector-reader.ts): with the user reader's
// snapshotState(), each split being read is written as its rest after the records the chain got
// (however far the reader read ahead), and a restore continues exactly; without it, an unfinished
// split is read again from its start (at least once).
import test from 'ava';
import type { JobModule, Source, SourceSplitReader } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import type { SubtaskSnapshot } from '../../../api/runtime/checkpointing/snapshot.ts';
import type { JobPlan, RunnableSubtask } from '../../../api/runtime/subtask.ts';
import { RecordingResponder, barrier, stepUntil, throughMsgpack } from '../harness/checkpoints.ts';
import { fakeContext, stepToEnd } from '../helpers.ts';

interface Range {
  readonly from: number;
  readonly to: number;
}

const SPLITS: readonly Range[] = [
  { from: 1, to: 10 },
  { from: 11, to: 20 },
  { from: 21, to: 30 },
];

/** Reads a range with an async generator, so the chain reads ahead of what it emitted. */
class RangeReader implements SourceSplitReader<number, Range> {
  async *read(split: Range): AsyncGenerator<number> {
    for (let value = split.from; value <= split.to; value++) yield value;
  }
}

/** A range's rest is the range after the records emitted: what a seekable connector (a file, a log partition) does. */
class ResumableRangeReader extends RangeReader {
  snapshotState(split: Range, recordsEmitted: number): Range {
    return { from: split.from + recordsEmitted, to: split.to };
  }
}

const rangeSource = (Reader: new () => SourceSplitReader<number, Range>): Source<number, Range> => ({
  boundedness: 'bounded',
  createEnumerator: () => ({ nextSplit: () => null }),
  createReader: () => new Reader(),
});

/** The subtask, given the splits after the snapshot's `splitsReceived` again (as the JobManager does). */
function connectorSubtask(plan: JobPlan, responder: RecordingResponder, restoredState?: SubtaskSnapshot): RunnableSubtask {
  let next = restoredState?.source?.splitsReceived ?? 0;
  const requestSplit = () => Promise.resolve(next < SPLITS.length ? { index: next, payload: SPLITS[next++] } : null);
  return plan.createSubtask(plan.graph.vertices[0], fakeContext({ requestSplit, checkpointResponder: responder, restoredState }));
}

async function runWithRestore(Reader: new () => SourceSplitReader<number, Range>): Promise<{ readonly before: number[]; readonly after: number[]; readonly snapshot: SubtaskSnapshot }> {
  let out: number[] = [];
  const module: JobModule = (env) => void env.fromSource(rangeSource(Reader)).sinkTo((n) => void out.push(n));
  const plan = await planJob(module, []);
  const responder = new RecordingResponder();
  const first = connectorSubtask(plan, responder);
  await first.open();
  await stepUntil(first, () => out.length >= 14, 4);
  first.triggerCheckpoint(barrier(1));
  first.cancel();
  await first.close();
  const before = out;
  out = [];
  const { snapshot } = responder.acks[0];
  const second = connectorSubtask(plan, responder, throughMsgpack(snapshot));
  await second.open();
  await stepToEnd(second, 4);
  await second.close();
  return { before, after: out, snapshot };
}

test('a reader with snapshotState() resumes each split after the records the chain got, whatever it read ahead: nothing lost, nothing twice', async (t) => {
  const { before, after, snapshot } = await runWithRestore(ResumableRangeReader);
  t.deepEqual(before, Array.from({ length: before.length }, (_, index) => index + 1));
  t.true(before.length > 10 && before.length < 20, 'the checkpoint came in the middle of split 1');
  t.deepEqual(snapshot.source, { splitsReceived: 2, splits: [{ split: 1, payload: { from: before.length + 1, to: 20 }, offset: before.length - 10 }] });
  t.deepEqual([...before, ...after], Array.from({ length: 30 }, (_, index) => index + 1));
});

test('a reader without snapshotState() reads a split it had not finished again from its start: at least once', async (t) => {
  const { before, after, snapshot } = await runWithRestore(RangeReader);
  t.deepEqual(snapshot.source?.splits.map(({ split, payload }) => ({ split, payload })), [{ split: 1, payload: SPLITS[1] }]);
  t.deepEqual(before.slice(0, 10), Array.from({ length: 10 }, (_, index) => index + 1));
  t.deepEqual(after, Array.from({ length: 20 }, (_, index) => index + 11), 'split 1 again from 11, then split 2');
});
