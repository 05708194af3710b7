// The one shape the window operator calls to evaluate a window (Flink's InternalWindowFunction),
// whatever the user gave: the operator keeps one InternalWindowFunction and one InternalWindowContext
// (its own, pointed at the window before each call) and calls
//   process(key, window, context, contents, out)  when the trigger fires, where `contents` is what
//                                                  the window's state holds (see below);
//   clear(window, context)                         when the window is dropped;
//   open(runtimeContext) / close()                 with the operator's lifecycle.
// Which to build, by what the window keeps:
// - a list of records (process/apply alone, or any function with an evictor): iterableWindowFunction;
// - one incremental value (reduce or aggregate, no evictor): singleValueWindowFunction over the
//   process function given with it, or passThroughWindowFunction when there is none;
// - with an evictor, reduce/aggregate become ReduceApply/AggregateApply over the record list.
// apply(), windowAll's process/apply are first turned into a ProcessWindowFunction (asProcessWindowFunction...).
import type { Collector, RuntimeContext, SideOutputTag } from '../../functions.ts';
import type { KeyedStateStore } from '../../state/state.ts';
import type { Window } from '../windows/window.ts';
import type { AllWindowFunction, ProcessAllWindowFunction, ProcessWindowContext, ProcessWindowFunction, WindowFunction } from './process-window-function.ts';
import { closeAll, openAll } from './rich-functions.ts';

/** What the operator provides for the window being evaluated or cleared. */
export interface InternalWindowContext {
  currentProcessingTime(): number;
  currentWatermark(): number;
  windowState(): KeyedStateStore;
  globalState(): KeyedStateStore;
  output<X>(tag: SideOutputTag<X>, value: X): void;
}

export interface InternalWindowFunction<CONTENTS, OUT, KEY, W extends Window> {
  process(key: KEY, window: W, context: InternalWindowContext, contents: CONTENTS, out: Collector<OUT>): void;
  clear(window: W, context: InternalWindowContext): void;
  open(context: RuntimeContext): Promise<void>;
  close(): Promise<void>;
}

/** The user-facing context: the operator's context plus the window; one per adapter, re-pointed per call. */
class WindowContext<W extends Window> implements ProcessWindowContext<W> {
  current: W | undefined = undefined;
  internal: InternalWindowContext | undefined = undefined;

  window(): W {
    return this.current as W;
  }

  currentProcessingTime(): number {
    return (this.internal as InternalWindowContext).currentProcessingTime();
  }

  currentWatermark(): number {
    return (this.internal as InternalWindowContext).currentWatermark();
  }

  windowState(): KeyedStateStore {
    return (this.internal as InternalWindowContext).windowState();
  }

  globalState(): KeyedStateStore {
    return (this.internal as InternalWindowContext).globalState();
  }

  output<X>(tag: SideOutputTag<X>, value: X): void {
    (this.internal as InternalWindowContext).output(tag, value);
  }
}

/** Over a list of records: the function sees them as they are. */
export function iterableWindowFunction<IN, OUT, KEY, W extends Window>(fn: ProcessWindowFunction<IN, OUT, KEY, W>): InternalWindowFunction<Iterable<IN>, OUT, KEY, W> {
  return new ProcessAdapter<Iterable<IN>, IN, OUT, KEY, W>(fn, (contents) => contents);
}

/** Over one incremental value (a reduce or aggregate result): the function sees a one-element list. */
export function singleValueWindowFunction<IN, OUT, KEY, W extends Window>(fn: ProcessWindowFunction<IN, OUT, KEY, W>): InternalWindowFunction<IN, OUT, KEY, W> {
  return new ProcessAdapter<IN, IN, OUT, KEY, W>(fn, (contents) => [contents]);
}

/** reduce()/aggregate() without a window function: emits the incremental value itself. */
export function passThroughWindowFunction<T, KEY, W extends Window>(): InternalWindowFunction<T, T, KEY, W> {
  return {
    process: (_key, _window, _context, contents, out) => out.collect(contents),
    clear: () => {},
    open: async () => {},
    close: async () => {},
  };
}

class ProcessAdapter<CONTENTS, IN, OUT, KEY, W extends Window> implements InternalWindowFunction<CONTENTS, OUT, KEY, W> {
  private readonly context = new WindowContext<W>();

  constructor(
    private readonly fn: ProcessWindowFunction<IN, OUT, KEY, W>,
    private readonly elementsOf: (contents: CONTENTS) => Iterable<IN>,
  ) {}

  process(key: KEY, window: W, context: InternalWindowContext, contents: CONTENTS, out: Collector<OUT>): void {
    this.context.current = window;
    this.context.internal = context;
    this.fn.process(key, this.context, this.elementsOf(contents), out);
  }

  clear(window: W, context: InternalWindowContext): void {
    if (this.fn.clear === undefined) return;
    this.context.current = window;
    this.context.internal = context;
    this.fn.clear(this.context);
  }

  open(context: RuntimeContext): Promise<void> {
    return openAll([this.fn], context);
  }

  close(): Promise<void> {
    return closeAll([this.fn]);
  }
}

/** apply(WindowFunction) as a process function. */
export function asProcessWindowFunction<IN, OUT, KEY, W extends Window>(fn: WindowFunction<IN, OUT, KEY, W>): ProcessWindowFunction<IN, OUT, KEY, W> {
  return {
    process: (key, context, elements, out) => fn.apply(key, context.window(), elements, out),
    open: (context) => openAll([fn], context),
    close: () => closeAll([fn]),
  };
}

/** windowAll's process function as a keyed one (windowAll runs as one key). */
export function asProcessWindowFunctionOfAll<IN, OUT, W extends Window>(fn: ProcessAllWindowFunction<IN, OUT, W>): ProcessWindowFunction<IN, OUT, unknown, W> {
  return {
    process: (_key, context, elements, out) => fn.process(context, elements, out),
    clear: fn.clear === undefined ? undefined : (context) => fn.clear?.(context),
    open: (context) => openAll([fn], context),
    close: () => closeAll([fn]),
  };
}

/** windowAll's apply(AllWindowFunction) as a keyed process function. */
export function asProcessWindowFunctionOfAllApply<IN, OUT, W extends Window>(fn: AllWindowFunction<IN, OUT, W>): ProcessWindowFunction<IN, OUT, unknown, W> {
  return {
    process: (_key, context, elements, out) => fn.apply(context.window(), elements, out),
    open: (context) => openAll([fn], context),
    close: () => closeAll([fn]),
  };
}
