import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { planJob } from '../../../api/internal.ts';
import { WeirError } from '../../../messages/errors.ts';
import { temporaryDirectory } from '../sources/source-fixtures.ts';
import { runVertex, stepToEnd, subtaskOf } from '../helpers.ts';

interface Row {
  readonly id: number;
  readonly text: string;
  readonly tags: string[];
  readonly nested: { readonly ok: boolean; readonly value: number | null };
}

const row = (id: number): Row => ({ id, text: `line ${id}\nwith "quotes" and a newline ✓`, tags: ['a', `t${id % 3}`], nested: { ok: id % 2 === 0, value: id % 5 === 0 ? null : id / 4 } });

test('writeAsJsonLines writes part-<subtask>.jsonl files, one JSON value per line, that parse back to the records', async (t) => {
  const output = join(await temporaryDirectory(t, 'weir-json-sink-'), 'out');
  const rows = Array.from({ length: 500 }, (_, index) => row(index));
  const plan = await planJob((env) => void env.setParallelism(3).fromSequence(0, rows.length - 1).map(row).writeAsJsonLines(output), []);
  t.is(plan.graph.vertices[0].operators.at(-1)?.kind, 'sink-json-lines');
  await runVertex(plan, plan.graph.vertices[0], 7);
  t.deepEqual((await readdir(output)).sort(), ['part-0.jsonl', 'part-1.jsonl', 'part-2.jsonl']);
  const parsed: Row[] = [];
  for (const part of ['part-0.jsonl', 'part-1.jsonl', 'part-2.jsonl']) {
    const lines = (await readFile(join(output, part), 'utf8')).split('\n');
    t.is(lines.pop(), '', `${part} ends with a newline`);
    parsed.push(...lines.map((line) => JSON.parse(line) as Row));
  }
  t.deepEqual(
    parsed.sort((a, b) => a.id - b.id),
    rows,
  );
});

test('strings, numbers and arrays are JSON values too', async (t) => {
  const output = await temporaryDirectory(t, 'weir-json-sink-');
  const plan = await planJob((env) => void env.fromElements<unknown>('text', 42, [1, 'two'], null, true).writeAsJsonLines(output), []);
  await runVertex(plan);
  t.is(await readFile(join(output, 'part-0.jsonl'), 'utf8'), '"text"\n42\n[1,"two"]\nnull\ntrue\n');
});

test('a record that is not a JSON value fails the subtask naming the sink', async (t) => {
  const output = await temporaryDirectory(t, 'weir-json-sink-');
  const plan = await planJob((env) => void env.fromElements(1, 2).map((n) => (n === 2 ? undefined : n)).writeAsJsonLines(output), []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  const error = await t.throwsAsync(stepToEnd(subtask), { instanceOf: WeirError });
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Sink: JSON Lines" (id "sink-json-lines-2") failed on a record: undefined is not a JSON value');
  await subtask.close();
});

test('writeAsJsonLines needs a directory path', async (t) => {
  const error = await t.throwsAsync(planJob((env) => void env.fromElements(1).writeAsJsonLines(''), []), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_ARGUMENT');
  t.is(error.message, 'operator "Sink: JSON Lines" (id "sink-json-lines-1"): writeAsJsonLines() needs a directory path, got ');
});
