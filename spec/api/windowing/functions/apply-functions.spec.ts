import test from 'ava';
import { OperatorRuntimeContext } from '../../../../api/runtime/operator-runtime-context.ts';
import { fakeContext } from '../../helpers.ts';
import type { AggregateFunction, Collector, RuntimeContext } from '../../../../api/functions.ts';
import { aggregateApply, passThroughProcessWindowFunction, reduceApply } from '../../../../api/windowing/functions/apply-functions.ts';
import type { ProcessWindowContext, ProcessWindowFunction } from '../../../../api/windowing/functions/process-window-function.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';

const window = new TimeWindow(0, 10);
const context = { window: () => window } as ProcessWindowContext<TimeWindow>;
const runtimeContext: RuntimeContext = new OperatorRuntimeContext(fakeContext(), 'Window', 'operator "Window" (id "window-1")');

function run<IN, OUT>(fn: ProcessWindowFunction<IN, OUT, string, TimeWindow>, elements: IN[]): OUT[] {
  const out: OUT[] = [];
  const collector: Collector<OUT> = { collect: (value) => void out.push(value) };
  fn.process('k', context, elements, collector);
  return out;
}

const describe: ProcessWindowFunction<number, string, string, TimeWindow> = {
  process: (key, ctx, elements, out) => out.collect(`${key} ${ctx.window().end}: ${[...elements].join(',')}`),
};

test('reduceApply reduces the records left in the window, in order, and hands the one result on', (t) => {
  const order: string[] = [];
  const reduce = { reduce: (a: number, b: number) => (order.push(`${a}+${b}`), a + b) };
  t.deepEqual(run(reduceApply(reduce, describe), [1, 2, 3]), ['k 10: 6']);
  t.deepEqual(order, ['1+2', '3+3']);
  t.deepEqual(run(reduceApply(reduce, describe), [7]), ['k 10: 7']);
  t.deepEqual(run(reduceApply(reduce, describe), []), [], 'an empty window (all evicted) emits nothing');
});

test('aggregateApply folds the records into a fresh accumulator, also for an empty window', (t) => {
  const average: AggregateFunction<number, [number, number], number> = {
    createAccumulator: () => [0, 0],
    add: (value, [sum, count]) => [sum + value, count + 1],
    getResult: ([sum, count]) => (count === 0 ? 0 : sum / count),
    merge: ([a, b], [c, d]) => [a + c, b + d],
  };
  t.deepEqual(run(aggregateApply(average, describe), [1, 2, 6]), ['k 10: 3']);
  t.deepEqual(run(aggregateApply(average, describe), []), ['k 10: 0']);
});

test('with no process function the result is emitted as it is', (t) => {
  t.deepEqual(run(reduceApply({ reduce: (a: number, b: number) => Math.max(a, b) }, passThroughProcessWindowFunction()), [3, 9, 4]), [9]);
  t.deepEqual(run(passThroughProcessWindowFunction<number, string, TimeWindow>(), [1, 2]), [1, 2]);
});

test('both wrapped functions are opened in order and closed in reverse; clear reaches the process function', async (t) => {
  const calls: string[] = [];
  const reduce = { reduce: (a: number) => a, open: () => void calls.push('open reduce'), close: () => void calls.push('close reduce') };
  const then: ProcessWindowFunction<number, string, string, TimeWindow> = {
    process: () => {},
    open: () => void calls.push('open process'),
    close: () => void calls.push('close process'),
    clear: () => void calls.push('clear process'),
  };
  const applied = reduceApply(reduce, then);
  await applied.open?.(runtimeContext);
  applied.clear?.(context);
  await applied.close?.();
  t.deepEqual(calls, ['open reduce', 'open process', 'clear process', 'close process', 'close reduce']);
  t.is(aggregateApply({ createAccumulator: () => 0, add: (v: number, a: number) => a + v, getResult: (a: number) => a, merge: (a: number, b: number) => a + b }, describe).clear, undefined);
});
