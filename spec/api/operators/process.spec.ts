import test from 'ava';
import { type Collector, type KeyedProcessContext, type KeyedProcessFunction, OutputTag, type ProcessContext, type ProcessFunction } from '../../../api/index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { runModule } from '../harness/run-plan.ts';

const small = new OutputTag<string>('small');
const negative = new OutputTag<number>('negative');

test('process emits main records through the collector and side outputs through ctx.output', async (t) => {
  const main: number[] = [];
  const smalls: string[] = [];
  const negatives: number[] = [];
  await runModule((env) => {
    const processed = env.fromElements(5, -1, 20, 3, -7, 12).process<number>((n, ctx, out) => {
      if (n < 0) ctx.output(negative, n);
      else if (n < 10) ctx.output(small, `small ${n}`);
      else out.collect(n * 10);
    });
    processed.sinkTo((n) => void main.push(n));
    processed.getSideOutput(small).sinkTo((text) => void smalls.push(text));
    processed.getSideOutput(negative).sinkTo((n) => void negatives.push(n));
  });
  t.deepEqual(main, [200, 120]);
  t.deepEqual(smalls, ['small 5', 'small 3']);
  t.deepEqual(negatives, [-1, -7]);
});

test('a side output nobody reads is dropped, and one read twice reaches both readers', async (t) => {
  const first: string[] = [];
  const second: string[] = [];
  await runModule((env) => {
    const processed = env.fromElements(1, 2).process<number>((n, ctx) => {
      ctx.output(small, `s${n}`);
      ctx.output(new OutputTag<number>('unread'), n);
    });
    processed.getSideOutput(small).sinkTo((text) => void first.push(text));
    processed.getSideOutput(new OutputTag<string>('small')).sinkTo((text) => void second.push(text));
  });
  t.deepEqual(first, ['s1', 's2']);
  t.deepEqual(second, ['s1', 's2'], 'tags with the same id are the same side output');
});

test('a side output crosses the network like any stream: here to a parallel sink through a rebalance', async (t) => {
  const seen: string[] = [];
  const run = await runModule((env) => {
    const processed = env.fromSequence(1, 30).process<number>((n, ctx, out) => (n % 3 === 0 ? ctx.output(small, `x${n}`) : out.collect(n)));
    processed.sinkTo(() => {});
    processed.getSideOutput(small).rebalance().sinkTo((text) => void seen.push(text)).setParallelism(3);
  });
  t.deepEqual(seen.slice().sort(), Array.from({ length: 10 }, (_, index) => `x${3 * (index + 1)}`).sort());
  t.is(run.plan.graph.vertices[1].inputs[0].outputTag, 'small');
});

test('a process function class is instantiated per subtask and opened with its context', async (t) => {
  const opened: number[] = [];
  class Tagger implements ProcessFunction<number, string> {
    private subtask = -1;
    open(context: { subtaskIndex: number }): void {
      this.subtask = context.subtaskIndex;
      opened.push(context.subtaskIndex);
    }
    processElement(value: number, _ctx: ProcessContext, out: Collector<string>): void {
      out.collect(`${this.subtask}:${value}`);
    }
  }
  const out: string[] = [];
  await runModule((env) => void env.setParallelism(2).fromSequence(1, 4).process(Tagger).sinkTo((value) => void out.push(value)));
  t.deepEqual(opened.sort(), [0, 1]);
  t.is(out.length, 4);
});

test('a keyed process function sees the key of each record, typed as the key selector returns it', async (t) => {
  const out: string[] = [];
  await runModule(
    (env) => {
      env
        .fromElements('apple', 'avocado', 'banana', 'blueberry', 'cherry')
        .keyBy((fruit) => fruit.charCodeAt(0))
        .process<string>((fruit, ctx, collector) => {
          const key: number = ctx.getCurrentKey();
          collector.collect(`${String.fromCharCode(key)}:${fruit}`);
        })
        .sinkTo((value) => void out.push(value));
    },
    { parallelism: 2 },
  );
  t.deepEqual(out.sort(), ['a:apple', 'a:avocado', 'b:banana', 'b:blueberry', 'c:cherry']);
});

test('a keyed process function object gets side outputs too', async (t) => {
  const longWords = new OutputTag<string>('long');
  const fn: KeyedProcessFunction<string, string, string> = {
    processElement(word: string, ctx: KeyedProcessContext<string>, out: Collector<string>): void {
      if (word.length > 4) ctx.output(longWords, `${ctx.getCurrentKey()}!`);
      else out.collect(word);
    },
  };
  const short: string[] = [];
  const long: string[] = [];
  await runModule((env) => {
    const processed = env.fromElements('tea', 'coffee', 'milk').keyBy((word) => word).process(fn);
    processed.sinkTo((word) => void short.push(word));
    processed.getSideOutput(longWords).sinkTo((word) => void long.push(word));
  });
  t.deepEqual(short, ['tea', 'milk']);
  t.deepEqual(long, ['coffee!']);
});

test('getSideOutput needs the stream of an operator, and an OutputTag needs an id', (t) => {
  t.throws(() => new OutputTag(''), { instanceOf: WeirError, message: 'an OutputTag needs a non-empty string id, got ' });
  return runModule((env) => {
    const keyed = env.fromElements(1).keyBy((n) => n);
    const error = t.throws(() => keyed.getSideOutput(small), { instanceOf: WeirError });
    t.is(error.message, 'operator "Key By" (id "key-by-1"): getSideOutput() needs the stream of an operator, such as the one process() returns');
    keyed.print();
  }).then(() => undefined);
});
