// AllWindowedStream (Flink's): `stream.windowAll(assigner)`: windows over the whole stream, evaluated
// by one window operator at parallelism 1 (Flink's windowAll is not parallel either). It is a
// WindowedStream over one key, whose process and apply take the key-free function forms.
import type { DataStream } from './data-stream.ts';
import type { AggregateFunction, ReduceFunctionLike } from './functions.ts';
import type { OutputTag } from './output-tag.ts';
import { userFunctionFactory } from './runtime/user-function.ts';
import { type WindowedStream, processWindowsWith } from './windowed-stream.ts';
import type { Evictor } from './windowing/evictors/evictor.ts';
import { asProcessWindowFunctionOfAll, asProcessWindowFunctionOfAllApply } from './windowing/functions/internal-window-function.ts';
import type {
  AllWindowFunction,
  AllWindowFunctionLike,
  ProcessAllWindowFunction,
  ProcessAllWindowFunctionLike,
  ProcessWindowContext,
  ProcessWindowFunction,
} from './windowing/functions/process-window-function.ts';
import type { Trigger } from './windowing/triggers/trigger.ts';
import type { Window } from './windowing/windows/window.ts';

/** The one key every record of windowAll gets. */
export const ALL_KEY = 0;

type All = typeof ALL_KEY;

export class AllWindowedStream<T, W extends Window> {
  /** Made by DataStream.windowAll / countWindowAll; not for user code. */
  constructor(private readonly windowed: WindowedStream<T, All, W>) {}

  trigger(trigger: Trigger<T, W>): this {
    this.windowed.trigger(trigger);
    return this;
  }

  evictor(evictor: Evictor<T, W>): this {
    this.windowed.evictor(evictor);
    return this;
  }

  allowedLateness(ms: number): this {
    this.windowed.allowedLateness(ms);
    return this;
  }

  sideOutputLateData(tag: OutputTag<T>): this {
    this.windowed.sideOutputLateData(tag);
    return this;
  }

  reduce(fn: ReduceFunctionLike<T>): DataStream<T>;
  reduce<R>(fn: ReduceFunctionLike<T>, windowFunction: ProcessAllWindowFunctionLike<T, R, W>): DataStream<R>;
  reduce<R>(fn: ReduceFunctionLike<T>, windowFunction?: ProcessAllWindowFunctionLike<T, R, W>): DataStream<R> | DataStream<T> {
    if (windowFunction === undefined) return single(this.windowed.reduce(fn));
    return single(this.windowed.reduce<R>(fn, keyFree(windowFunction)));
  }

  aggregate<ACC, V>(fn: AggregateFunction<T, ACC, V>): DataStream<V>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, windowFunction: ProcessAllWindowFunctionLike<V, R, W>): DataStream<R>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, windowFunction?: ProcessAllWindowFunctionLike<V, R, W>): DataStream<R> | DataStream<V> {
    if (windowFunction === undefined) return single(this.windowed.aggregate(fn));
    return single(this.windowed.aggregate<ACC, V, R>(fn, keyFree(windowFunction)));
  }

  process<R>(fn: ProcessAllWindowFunctionLike<T, R, W>): DataStream<R> {
    return single(
      processWindowsWith<T, R, All, W>(this.windowed, 'Window All Process', (operator) => {
        const factory = userFunctionFactory<ProcessAllWindowFunction<T, R, W>>(fn, 'process', operator);
        return () => asProcessWindowFunctionOfAll(factory()) as ProcessWindowFunction<T, R, All, W>;
      }),
    );
  }

  apply<R>(fn: AllWindowFunctionLike<T, R, W>): DataStream<R> {
    return single(
      processWindowsWith<T, R, All, W>(this.windowed, 'Window All Apply', (operator) => {
        const factory = userFunctionFactory<AllWindowFunction<T, R, W>>(fn, 'apply', operator);
        return () => asProcessWindowFunctionOfAllApply(factory()) as ProcessWindowFunction<T, R, All, W>;
      }),
    );
  }

  sum(field?: keyof T & (string | number)): DataStream<T> {
    return single((this.windowed as WindowedStream<T, All, W> & { sum(field?: unknown): DataStream<T> }).sum(field as never));
  }

  min(field?: keyof T & (string | number)): DataStream<T> {
    return single((this.windowed as WindowedStream<T, All, W> & { min(field?: unknown): DataStream<T> }).min(field as never));
  }

  max(field?: keyof T & (string | number)): DataStream<T> {
    return single((this.windowed as WindowedStream<T, All, W> & { max(field?: unknown): DataStream<T> }).max(field as never));
  }

  minBy(field?: keyof T & (string | number)): DataStream<T> {
    return single((this.windowed as WindowedStream<T, All, W> & { minBy(field?: unknown): DataStream<T> }).minBy(field as never));
  }

  maxBy(field?: keyof T & (string | number)): DataStream<T> {
    return single((this.windowed as WindowedStream<T, All, W> & { maxBy(field?: unknown): DataStream<T> }).maxBy(field as never));
  }
}

/** windowAll's operator runs at parallelism 1: the stream has one window set. */
function single<R>(stream: DataStream<R>): DataStream<R> {
  return stream.setParallelism(1);
}

/** A key-free process function (function, object or class form) as a keyed one, made per subtask. */
function keyFree<IN, OUT, W extends Window>(fn: ProcessAllWindowFunctionLike<IN, OUT, W>): ProcessWindowFunction<IN, OUT, All, W> | (new () => ProcessWindowFunction<IN, OUT, All, W>) {
  if (typeof fn === 'function' && !isClass(fn)) {
    const process = fn as (context: ProcessWindowContext<W>, elements: Iterable<IN>, out: { collect(value: OUT): void }) => void;
    return { process: (_key, context, elements, out) => process(context, elements, out) };
  }
  if (typeof fn === 'function') {
    const UserClass = fn as new () => ProcessAllWindowFunction<IN, OUT, W>;
    return class {
      private readonly inner = asProcessWindowFunctionOfAll(new UserClass()) as ProcessWindowFunction<IN, OUT, All, W>;

      process(key: All, context: ProcessWindowContext<W>, elements: Iterable<IN>, out: { collect(value: OUT): void }): void {
        this.inner.process(key, context, elements, out);
      }

      clear(context: ProcessWindowContext<W>): void {
        this.inner.clear?.(context);
      }

      open(context: Parameters<NonNullable<ProcessWindowFunction<IN, OUT, All, W>['open']>>[0]): void | Promise<void> {
        return this.inner.open?.(context);
      }

      close(): void | Promise<void> {
        return this.inner.close?.();
      }
    } as unknown as new () => ProcessWindowFunction<IN, OUT, All, W>;
  }
  return asProcessWindowFunctionOfAll(fn) as ProcessWindowFunction<IN, OUT, All, W>;
}

function isClass(value: Function): boolean {
  return Function.prototype.toString.call(value).startsWith('class');
}
