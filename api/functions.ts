// The shapes of user functions. Each operator takes a plain function, an object with the operator's
// method, or a class with that method. A class is instantiated once per subtask (like Flink's
// deserialised copy), so it is the form for per-subtask fields; a function or an object is shared by
// the subtasks that one process runs from the same plan. The object and class forms may be rich:
// open() before the first record, close() after the last.

/** What a rich function learns about the subtask it runs in. */
export interface RuntimeContext {
  readonly jobName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attemptNumber: number;
}

/** Lifecycle hooks shared by every object or class form. */
export interface RichFunction {
  open?(context: RuntimeContext): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** Emits records downstream from a flatMap. */
export interface Collector<T> {
  collect(value: T): void;
}

export interface MapFunction<T, R> extends RichFunction {
  map(value: T): R;
}

export interface FilterFunction<T> extends RichFunction {
  filter(value: T): boolean;
}

/** Emits through `out`, or returns an iterable of results (an array, a generator), or both. */
export interface FlatMapFunction<T, R> extends RichFunction {
  flatMap(value: T, out: Collector<R>): Iterable<R> | void;
}

export interface SinkFunction<T> extends RichFunction {
  invoke(value: T): void;
}

/** A class whose instances are a function of kind F; one instance per subtask. */
export type FunctionClass<F> = new () => F;

export type MapFunctionLike<T, R> = ((value: T) => R) | MapFunction<T, R> | FunctionClass<MapFunction<T, R>>;
export type FilterFunctionLike<T> = ((value: T) => boolean) | FilterFunction<T> | FunctionClass<FilterFunction<T>>;
export type FlatMapFunctionLike<T, R> =
  | ((value: T, out: Collector<R>) => Iterable<R> | void)
  | FlatMapFunction<T, R>
  | FunctionClass<FlatMapFunction<T, R>>;
export type SinkFunctionLike<T> = ((value: T) => void) | SinkFunction<T> | FunctionClass<SinkFunction<T>>;
