// The window functions users write (Flink's ProcessWindowFunction / ProcessAllWindowFunction /
// WindowFunction / AllWindowFunction): each gets a window's contents when its trigger fires. With
// reduce() or aggregate() first, the contents are the one incremental result.
import type { Collector, FunctionClass, RichFunction, SideOutputTag } from '../../functions.ts';
import type { KeyedStateStore } from '../../state/state.ts';
import type { Window } from '../windows/window.ts';

/** What a process window function may ask while it evaluates a window (Flink's ProcessWindowFunction.Context). */
export interface ProcessWindowContext<W extends Window> {
  /** The window being evaluated. */
  window(): W;
  currentProcessingTime(): number;
  /** The operator's watermark (MIN_WATERMARK, -Infinity, before the first). */
  currentWatermark(): number;
  /** Keyed state scoped to the key and this window; the function's clear() must clear what it kept there. */
  windowState(): KeyedStateStore;
  /** Keyed state of the key, shared by all its windows. Use other state names than in windowState(). */
  globalState(): KeyedStateStore;
  /** Emits `value` to the side output `tag`. */
  output<X>(tag: SideOutputTag<X>, value: X): void;
}

/** Evaluates a keyed window: any number of results through `out`. */
export interface ProcessWindowFunction<IN, OUT, KEY, W extends Window> extends RichFunction {
  process(key: KEY, context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;
  /** The window is dropped (its cleanup time passed): clear its windowState(). */
  clear?(context: ProcessWindowContext<W>): void;
}

/** Evaluates a window of windowAll: the same as ProcessWindowFunction without a key. */
export interface ProcessAllWindowFunction<IN, OUT, W extends Window> extends RichFunction {
  process(context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;
  clear?(context: ProcessWindowContext<W>): void;
}

/** The older, context-free form (Flink's WindowFunction, used by apply()). */
export interface WindowFunction<IN, OUT, KEY, W extends Window> extends RichFunction {
  apply(key: KEY, window: W, input: Iterable<IN>, out: Collector<OUT>): void;
}

export interface AllWindowFunction<IN, OUT, W extends Window> extends RichFunction {
  apply(window: W, input: Iterable<IN>, out: Collector<OUT>): void;
}

export type ProcessWindowFunctionLike<IN, OUT, KEY, W extends Window> =
  | ((key: KEY, context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>) => void)
  | ProcessWindowFunction<IN, OUT, KEY, W>
  | FunctionClass<ProcessWindowFunction<IN, OUT, KEY, W>>;
export type ProcessAllWindowFunctionLike<IN, OUT, W extends Window> =
  | ((context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>) => void)
  | ProcessAllWindowFunction<IN, OUT, W>
  | FunctionClass<ProcessAllWindowFunction<IN, OUT, W>>;
export type WindowFunctionLike<IN, OUT, KEY, W extends Window> =
  | ((key: KEY, window: W, input: Iterable<IN>, out: Collector<OUT>) => void)
  | WindowFunction<IN, OUT, KEY, W>
  | FunctionClass<WindowFunction<IN, OUT, KEY, W>>;
export type AllWindowFunctionLike<IN, OUT, W extends Window> =
  | ((window: W, input: Iterable<IN>, out: Collector<OUT>) => void)
  | AllWindowFunction<IN, OUT, W>
  | FunctionClass<AllWindowFunction<IN, OUT, W>>;
