import test from 'ava';
import { planJob } from '../../../api/internal.ts';
import { printPrefix } from '../../../api/sinks/print-sink.ts';
import { runVertex } from '../helpers.ts';

test('print writes the bare value from a sink of parallelism 1, strings as they are and anything else as JSON', async (t) => {
  const plan = await planJob((env) => void env.fromElements<unknown>('text', 42, { a: [1, null] }, ['x'], null, true, 7n).print(), []);
  const { stdout } = await runVertex(plan);
  t.deepEqual(stdout, [['text', '42', '{"a":[1,null]}', '["x"]', 'null', 'true', '7']]);
});

test('print prefixes each line with the subtask number (from 1) when the sink is parallel, as Flink does', async (t) => {
  const plan = await planJob((env) => void env.setParallelism(3).fromSequence(1, 30).print(), []);
  const { stdout, splits } = await runVertex(plan, plan.graph.vertices[0], 4);
  stdout.forEach((lines, subtaskIndex) => {
    const expected = splits.handedOut
      .filter((entry) => entry.subtaskIndex === subtaskIndex)
      .flatMap(({ split }) => {
        const { from, to } = split.payload as { from: number; to: number };
        return Array.from({ length: to - from + 1 }, (_, offset) => `${subtaskIndex + 1}> ${from + offset}`);
      });
    t.deepEqual(lines, expected);
  });
  t.is(stdout.flat().length, 30);
});

test('a print prefix comes first: `prefix:subtask> ` when parallel, `prefix> ` when not', async (t) => {
  t.is(printPrefix('errors', 1, 4), 'errors:2> ');
  t.is(printPrefix('errors', 0, 1), 'errors> ');
  t.is(printPrefix(undefined, 3, 4), '4> ');
  t.is(printPrefix(undefined, 0, 1), '');
  const plan = await planJob((env) => void env.fromElements('x').print('debug'), []);
  t.deepEqual((await runVertex(plan)).stdout, [['debug> x']]);
});
