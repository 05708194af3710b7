import test from 'ava';
import { OperatorRuntimeContext } from '../../../../api/runtime/operator-runtime-context.ts';
import { fakeContext } from '../../helpers.ts';
import type { Collector, RuntimeContext } from '../../../../api/functions.ts';
import { OutputTag } from '../../../../api/output-tag.ts';
import type { KeyedStateStore } from '../../../../api/state/state.ts';
import {
  type InternalWindowContext,
  asProcessWindowFunction,
  asProcessWindowFunctionOfAll,
  asProcessWindowFunctionOfAllApply,
  iterableWindowFunction,
  passThroughWindowFunction,
  singleValueWindowFunction,
} from '../../../../api/windowing/functions/internal-window-function.ts';
import type { ProcessWindowContext, ProcessWindowFunction } from '../../../../api/windowing/functions/process-window-function.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';

const window = new TimeWindow(0, 10);
const windowState = { name: 'window state' } as unknown as KeyedStateStore;
const globalState = { name: 'global state' } as unknown as KeyedStateStore;
const runtimeContext: RuntimeContext = new OperatorRuntimeContext(fakeContext(), 'Window', 'operator "Window" (id "window-1")');

function operatorContext(sideOutputs: [string, unknown][]): InternalWindowContext {
  return {
    currentProcessingTime: () => 111,
    currentWatermark: () => 9,
    windowState: () => windowState,
    globalState: () => globalState,
    output: (tag, value) => void sideOutputs.push([tag.id, value]),
  };
}

function collector<T>(into: T[]): Collector<T> {
  return { collect: (value) => void into.push(value) };
}

test('a process function over a record list sees the key, the window, the records and the operator\'s context', (t) => {
  const seen: unknown[] = [];
  const late = new OutputTag<string>('late');
  const fn: ProcessWindowFunction<number, string, string, TimeWindow> = {
    process(key, ctx, elements, out) {
      seen.push([key, String(ctx.window()), ctx.currentProcessingTime(), ctx.currentWatermark(), ctx.windowState(), ctx.globalState()]);
      out.collect(`${key}:${[...elements].join(',')}`);
      ctx.output(late, 'side');
    },
  };
  const out: string[] = [];
  const sideOutputs: [string, unknown][] = [];
  iterableWindowFunction(fn).process('k', window, operatorContext(sideOutputs), [1, 2, 3], collector(out));
  t.deepEqual(out, ['k:1,2,3']);
  t.deepEqual(seen, [['k', 'TimeWindow{start=0, end=10}', 111, 9, windowState, globalState]]);
  t.deepEqual(sideOutputs, [['late', 'side']]);
});

test('over one incremental value the process function sees a one-element list', (t) => {
  const out: string[] = [];
  const fn: ProcessWindowFunction<number, string, string, TimeWindow> = {
    process: (key, ctx, elements, collect) => collect.collect(`${key} ${ctx.window().start}: ${JSON.stringify([...elements])}`),
  };
  singleValueWindowFunction(fn).process('k', window, operatorContext([]), 42, collector(out));
  t.deepEqual(out, ['k 0: [42]']);
});

test('reduce or aggregate alone emits the incremental value itself', (t) => {
  const out: number[] = [];
  passThroughWindowFunction<number, string, TimeWindow>().process('k', window, operatorContext([]), 42, collector(out));
  t.deepEqual(out, [42]);
});

test('clear reaches the function\'s clear with the window, and is skipped when it has none', (t) => {
  const cleared: string[] = [];
  const withClear: ProcessWindowFunction<number, string, string, TimeWindow> = {
    process: () => {},
    clear: (ctx: ProcessWindowContext<TimeWindow>) => void cleared.push(`${String(ctx.window())} ${ctx.windowState() === windowState}`),
  };
  iterableWindowFunction(withClear).clear(window, operatorContext([]));
  t.deepEqual(cleared, ['TimeWindow{start=0, end=10} true']);
  t.notThrows(() => singleValueWindowFunction<number, string, string, TimeWindow>({ process: () => {} }).clear(window, operatorContext([])));
});

test('open and close reach the user function, however it is wrapped', async (t) => {
  const calls: string[] = [];
  const rich = {
    open: (context: RuntimeContext) => void calls.push(`open ${context.jobName}`),
    close: () => void calls.push('close'),
    apply: () => {},
  };
  const internal = iterableWindowFunction(asProcessWindowFunction(rich));
  await internal.open(runtimeContext);
  await internal.close();
  t.deepEqual(calls, ['open spec job', 'close']);
});

test('apply, windowAll\'s process and windowAll\'s apply run as process functions', (t) => {
  const out: string[] = [];
  const context = operatorContext([]);
  iterableWindowFunction(asProcessWindowFunction<number, string, string, TimeWindow>({ apply: (key, w, input, o) => o.collect(`apply ${key} ${w.end} ${[...input].length}`) })).process(
    'k',
    window,
    context,
    [1, 2],
    collector(out),
  );
  iterableWindowFunction(asProcessWindowFunctionOfAll<number, string, TimeWindow>({ process: (ctx, input, o) => o.collect(`all ${ctx.window().end} ${[...input].length}`) })).process(
    undefined,
    window,
    context,
    [1],
    collector(out),
  );
  iterableWindowFunction(asProcessWindowFunctionOfAllApply<number, string, TimeWindow>({ apply: (w, input, o) => o.collect(`all-apply ${w.end} ${[...input].length}`) })).process(
    undefined,
    window,
    context,
    [],
    collector(out),
  );
  t.deepEqual(out, ['apply k 10 2', 'all 10 1', 'all-apply 10 0']);
});

test('windowAll\'s process function keeps its clear', (t) => {
  const cleared: number[] = [];
  const all = asProcessWindowFunctionOfAll<number, string, TimeWindow>({ process: () => {}, clear: (ctx) => void cleared.push(ctx.window().end) });
  iterableWindowFunction(all).clear(window, operatorContext([]));
  t.deepEqual(cleared, [10]);
  t.is(asProcessWindowFunctionOfAll<number, string, TimeWindow>({ process: () => {} }).clear, undefined);
});
