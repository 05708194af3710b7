// Split readers in a checkpoint (api/sources/split-reader.ts): the splits received, and each split
// not finished with its offset (records, or bytes of a file); a restored reader finishes those first,
// from their offsets, then asks for new splits.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { planJob } from '../../../api/internal.ts';
import { RecordingResponder, barrier, sourceSubtask, stepUntil, throughMsgpack } from '../harness/checkpoints.ts';
import { stepToEnd } from '../helpers.ts';
import { temporaryDirectory } from './source-fixtures.ts';

test('readTextFile restored mid-split reads on from the byte where the next line starts: no line lost or read twice', async (t) => {
  const directory = await temporaryDirectory(t);
  const lines = Array.from({ length: 40 }, (_, index) => (index % 3 === 0 ? `zeile ${index} — grüße` : index % 3 === 1 ? `line ${index}\r` : `${index}`));
  const path = join(directory, 'input.txt');
  await writeFile(path, `${lines.join('\n')}\n`);
  let out: string[] = [];
  const plan = await planJob((env) => void env.readTextFile(path, { maxSplitBytes: 200 }).sinkTo((line) => void out.push(line)), []);
  const responder = new RecordingResponder();
  const first = sourceSubtask(plan, responder);
  await first.open();
  await stepUntil(first, () => out.length >= 8, 4);
  first.triggerCheckpoint(barrier(1));
  first.cancel();
  await first.close();

  const before = out;
  const expected = lines.map((line) => line.replace(/\r$/, ''));
  const { source } = responder.acks[0].snapshot;
  const [position] = source?.splits ?? [];
  const { start } = position.payload as { start: number };
  const consumed = Buffer.byteLength(lines.slice(0, before.length).join('\n')) + 1;
  t.is(start + position.offset, consumed, 'the offset is where the first line not emitted starts');
  t.true(position.offset > 0, 'the split was read in part');

  out = [];
  const second = sourceSubtask(plan, responder, throughMsgpack(responder.acks[0].snapshot));
  await second.open();
  await stepToEnd(second, 4);
  await second.close();
  t.deepEqual([...before, ...out], expected);
});

test('fromElements restored mid-split emits the elements after the last one emitted', async (t) => {
  let out: string[] = [];
  const elements = Array.from({ length: 30 }, (_, index) => `e${index}`);
  const plan = await planJob((env) => void env.fromElements(...elements).sinkTo((value) => void out.push(value)), []);
  const responder = new RecordingResponder();
  const first = sourceSubtask(plan, responder);
  await first.open();
  await stepUntil(first, () => out.length >= 12, 6);
  first.triggerCheckpoint(barrier(1));
  first.cancel();
  await first.close();
  const { source } = responder.acks[0].snapshot;
  t.deepEqual(source?.splits.map(({ split, offset }) => ({ split, offset })), [{ split: 0, offset: out.length }]);

  const before = out;
  out = [];
  const second = sourceSubtask(plan, responder, throughMsgpack(responder.acks[0].snapshot));
  await second.open();
  await stepToEnd(second, 6);
  await second.close();
  t.deepEqual([...before, ...out], elements);
});
