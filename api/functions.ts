// The shapes of user functions. Each operator takes a plain function, an object with the operator's
// method, or a class with that method. A class is instantiated once per subtask (like Flink's
// deserialised copy); an object is too, in effect: each subtask calls a fresh object whose prototype
// is the user's, so fields set through `this` (state handles from open()) are per subtask, while
// variables the object closes over stay shared by the subtasks of one process. The object and class
// forms may be rich: open(context) before the first record, close() after the last.
//
// map, flatMap and filter run synchronously: a function of theirs that returns a promise does not
// compile, and fails the job at run time. mapAsync, flatMapAsync and filterAsync take functions that
// may return a promise (async functions), and a sink's invoke() may return one.

import type { MapStateDescriptor, StateDescriptor } from './state/descriptors.ts';
import type { BroadcastState, KeyedStateStore, OperatorStateStore, ReadOnlyBroadcastState, State } from './state/state.ts';
import type { MetricGroup } from './runtime/metrics/metric-group.ts';

/**
 * What a rich function learns about the subtask it runs in, one per operator (Flink's
 * RuntimeContext). Keyed state (getState and the others) is there for functions on a keyed stream:
 * each state is scoped to the key of the record being processed; elsewhere they fail, naming the
 * operator.
 */
export interface RuntimeContext extends KeyedStateStore {
  readonly jobName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attemptNumber: number;
  /** The operator's name (its `.name()`, or the default), as errors and logs show it. */
  readonly operatorName: string;
  /** Where the function registers its own metrics (counters, gauges, meters, histograms), read with the subtask's. */
  getMetricGroup(): MetricGroup;
}

/** Lifecycle hooks shared by every object or class form (initializeState and snapshotState: see CheckpointedFunction). */
export interface RichFunction {
  initializeState?(context: FunctionInitializationContext): void | Promise<void>;
  snapshotState?(context: FunctionSnapshotContext): void;
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

/** R, unless R is a promise: map<R>(fn: MapFunctionLike<T, R & NotPromise<R>>) rejects an async function at compile time. */
export type NotPromise<R> = R extends PromiseLike<unknown> ? 'map() got a function that returns a promise: use mapAsync()' : R;

export interface FilterFunction<T> extends RichFunction {
  filter(value: T): boolean;
}

/** Emits through `out`, or returns an iterable of results (an array, a generator), or both. */
export interface FlatMapFunction<T, R> extends RichFunction {
  flatMap(value: T, out: Collector<R>): Iterable<R> | void;
}

/**
 * invoke() may return a promise: the sink then writes one record at a time, in input order, and the
 * job ends only once every write settled (a rejection fails it).
 */
export interface SinkFunction<T> extends RichFunction {
  invoke(value: T): void | PromiseLike<void>;
}

/** mapAsync's function: returns the result, or a promise of it. */
export interface AsyncMapFunction<T, R> extends RichFunction {
  map(value: T): R | PromiseLike<R>;
}

/** flatMapAsync's function: returns the results (an iterable, or nothing for none), or a promise of them. */
export interface AsyncFlatMapFunction<T, R> extends RichFunction {
  flatMap(value: T): Iterable<R> | void | PromiseLike<Iterable<R> | void>;
}

/** filterAsync's function: whether to keep the record, or a promise of that. */
export interface AsyncFilterFunction<T> extends RichFunction {
  filter(value: T): boolean | PromiseLike<boolean>;
}

/** How an async operator runs its calls (Flink's AsyncDataStream capacity and timeout). */
export interface AsyncOptions {
  /** Records held per subtask: calls in flight plus results waiting for their turn (default 100). */
  readonly capacity?: number;
  /** A call pending longer than this fails the job, naming the operator (default 0: no limit). */
  readonly timeoutMs?: number;
}

/** On a keyed stream: 'key' (the default) keeps each key's input order, 'input' the whole stream's. */
export interface KeyedAsyncOptions extends AsyncOptions {
  readonly order?: 'key' | 'input';
}

/** A class whose instances are a function of kind F; one instance per subtask. */
export type FunctionClass<F> = new () => F;

export type MapFunctionLike<T, R> = ((value: T) => R) | MapFunction<T, R> | FunctionClass<MapFunction<T, R>>;
export type FilterFunctionLike<T> = ((value: T) => boolean) | FilterFunction<T> | FunctionClass<FilterFunction<T>>;
export type FlatMapFunctionLike<T, R> =
  | ((value: T, out: Collector<R>) => Iterable<R> | void)
  | FlatMapFunction<T, R>
  | FunctionClass<FlatMapFunction<T, R>>;
export type SinkFunctionLike<T> = ((value: T) => void | PromiseLike<void>) | SinkFunction<T> | FunctionClass<SinkFunction<T>>;

export type AsyncMapFunctionLike<T, R> = ((value: T) => R | PromiseLike<R>) | AsyncMapFunction<T, R> | FunctionClass<AsyncMapFunction<T, R>>;
export type AsyncFlatMapFunctionLike<T, R> =
  | ((value: T) => Iterable<R> | void | PromiseLike<Iterable<R> | void>)
  | AsyncFlatMapFunction<T, R>
  | FunctionClass<AsyncFlatMapFunction<T, R>>;
export type AsyncFilterFunctionLike<T> = ((value: T) => boolean | PromiseLike<boolean>) | AsyncFilterFunction<T> | FunctionClass<AsyncFilterFunction<T>>;

/** Combines two records of one key into one (Flink's ReduceFunction): the running value first. */
export interface ReduceFunction<T> extends RichFunction {
  reduce(accumulated: T, value: T): T;
}

export type ReduceFunctionLike<T> = ((accumulated: T, value: T) => T) | ReduceFunction<T> | FunctionClass<ReduceFunction<T>>;

/**
 * Incremental aggregation with an accumulator (Flink's AggregateFunction): add() may update the
 * accumulator in place and return it; merge() combines two (merging windows).
 */
export interface AggregateFunction<IN, ACC, OUT> extends RichFunction {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge(a: ACC, b: ACC): ACC;
}

/** Identifies a side output and the type of its records (Flink's OutputTag); equal ids are one output. */
export interface SideOutputTag<X> {
  readonly id: string;
  /** Never set: carries the record type. */
  readonly __type?: X;
}

/** What a process function may do besides emitting main records (timers come in a later version). */
export interface ProcessContext {
  /** Emits `value` to the side output `tag` (see DataStream.getSideOutput). */
  output<X>(tag: SideOutputTag<X>, value: X): void;
  /** The event timestamp of the record being processed (or of the timer firing); undefined when it has none. */
  timestamp(): number | undefined;
}

/** Which clock a timer belongs to. */
export type TimeDomain = 'EVENT_TIME' | 'PROCESSING_TIME';

/**
 * Time and timers for the current key (Flink's TimerService). One timer per key and timestamp:
 * registering it twice is once. An event-time timer fires once the watermark reaches its time.
 */
export interface TimerService {
  currentProcessingTime(): number;
  /** The operator's current watermark (MIN_WATERMARK, -Infinity, before the first). */
  currentWatermark(): number;
  registerEventTimeTimer(timestamp: number): void;
  registerProcessingTimeTimer(timestamp: number): void;
  deleteEventTimeTimer(timestamp: number): void;
  deleteProcessingTimeTimer(timestamp: number): void;
}

/** A process function on a keyed stream also sees the key of the record being processed, and has timers for it. */
export interface KeyedProcessContext<K> extends ProcessContext {
  getCurrentKey(): K;
  /** Timers for the current key, and the current watermark and processing time. */
  timerService(): TimerService;
}

/** What onTimer gets: the firing timer's key is current; timestamp() is the timer's for event time. */
export interface OnTimerContext<K> extends KeyedProcessContext<K> {
  timeDomain(): TimeDomain;
}

/** Flink's ProcessFunction: any number of main records through `out`, side outputs through `ctx`. */
export interface ProcessFunction<I, O> extends RichFunction {
  processElement(value: I, ctx: ProcessContext, out: Collector<O>): void;
}

export interface KeyedProcessFunction<K, I, O> extends RichFunction {
  processElement(value: I, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  /** A timer registered through ctx.timerService() fired (BATCH: every timer fires at the end of input). */
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<O>): void;
}

export type ProcessFunctionLike<I, O> =
  | ((value: I, ctx: ProcessContext, out: Collector<O>) => void)
  | ProcessFunction<I, O>
  | FunctionClass<ProcessFunction<I, O>>;
export type KeyedProcessFunctionLike<K, I, O> =
  | ((value: I, ctx: KeyedProcessContext<K>, out: Collector<O>) => void)
  | KeyedProcessFunction<K, I, O>
  | FunctionClass<KeyedProcessFunction<K, I, O>>;

/** One map per input of connected streams (Flink's CoMapFunction). */
export interface CoMapFunction<A, B, R> extends RichFunction {
  map1(value: A): R;
  map2(value: B): R;
}

/** One flatMap per input of connected streams: emit through `out`, or return an iterable. */
export interface CoFlatMapFunction<A, B, R> extends RichFunction {
  flatMap1(value: A, out: Collector<R>): Iterable<R> | void;
  flatMap2(value: B, out: Collector<R>): Iterable<R> | void;
}

/** One process method per input of connected streams, with side outputs. */
export interface CoProcessFunction<A, B, R> extends RichFunction {
  processElement1(value: A, ctx: ProcessContext, out: Collector<R>): void;
  processElement2(value: B, ctx: ProcessContext, out: Collector<R>): void;
}

export type CoMapFunctionLike<A, B, R> = CoMapFunction<A, B, R> | FunctionClass<CoMapFunction<A, B, R>>;
export type CoFlatMapFunctionLike<A, B, R> = CoFlatMapFunction<A, B, R> | FunctionClass<CoFlatMapFunction<A, B, R>>;
export type CoProcessFunctionLike<A, B, R> = CoProcessFunction<A, B, R> | FunctionClass<CoProcessFunction<A, B, R>>;

/**
 * One process method per input of two connected keyed streams (Flink's KeyedCoProcessFunction): the
 * record's key is current, keyed state is shared by both inputs, and ctx.timerService() registers
 * timers for the key, which fire onTimer with it current.
 */
export interface KeyedCoProcessFunction<K, A, B, R> extends RichFunction {
  processElement1(value: A, ctx: KeyedProcessContext<K>, out: Collector<R>): void;
  processElement2(value: B, ctx: KeyedProcessContext<K>, out: Collector<R>): void;
  /** A timer registered through ctx.timerService() fired (BATCH: every timer fires at the end of input). */
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<R>): void;
}

export type KeyedCoProcessFunctionLike<K, A, B, R> = KeyedCoProcessFunction<K, A, B, R> | FunctionClass<KeyedCoProcessFunction<K, A, B, R>>;

/** What an interval join's function learns of the pair it is given (Flink's ProcessJoinFunction.Context). */
export interface ProcessJoinContext {
  getLeftTimestamp(): number;
  getRightTimestamp(): number;
  /** The pair's timestamp, the larger of the two: what records emitted for the pair carry. */
  getTimestamp(): number;
  /** Emits `value` to the side output `tag`, with the pair's timestamp. */
  output<X>(tag: SideOutputTag<X>, value: X): void;
}

/**
 * Called once per pair an interval join finds (Flink's ProcessJoinFunction). `left` and `right` are
 * copies of the records the join keeps buffered for later pairs (the originals with object reuse on):
 * the function may keep or emit them.
 */
export interface ProcessJoinFunction<A, B, R> extends RichFunction {
  processElement(left: A, right: B, ctx: ProcessJoinContext, out: Collector<R>): void;
}

export type ProcessJoinFunctionLike<A, B, R> =
  | ((left: A, right: B, ctx: ProcessJoinContext, out: Collector<R>) => void)
  | ProcessJoinFunction<A, B, R>
  | FunctionClass<ProcessJoinFunction<A, B, R>>;

/**
 * A window join's function (Flink's JoinFunction): one result for each pair of records of one key
 * and window, a record of the first input with one of the second. Each call owns the records it
 * gets (a record that meets several others is copied for all but one), so a result may hold them.
 */
export interface JoinFunction<A, B, R> extends RichFunction {
  join(first: A, second: B): R;
}

/**
 * A window join's function that emits any number of results per pair through `out` (Flink's
 * FlatJoinFunction). Weir tells it from a JoinFunction by its join method's third parameter.
 */
export interface FlatJoinFunction<A, B, R> extends RichFunction {
  join(first: A, second: B, out: Collector<R>): void;
}

/** A window coGroup's function (Flink's CoGroupFunction): all records of one key and window, per input; either may be empty. */
export interface CoGroupFunction<A, B, R> extends RichFunction {
  coGroup(first: Iterable<A>, second: Iterable<B>, out: Collector<R>): void;
}

export type JoinFunctionLike<A, B, R> = ((first: A, second: B) => R) | JoinFunction<A, B, R> | FunctionClass<JoinFunction<A, B, R>>;
export type FlatJoinFunctionLike<A, B, R> =
  | ((first: A, second: B, out: Collector<R>) => void)
  | FlatJoinFunction<A, B, R>
  | FunctionClass<FlatJoinFunction<A, B, R>>;
export type CoGroupFunctionLike<A, B, R> =
  | ((first: Iterable<A>, second: Iterable<B>, out: Collector<R>) => void)
  | CoGroupFunction<A, B, R>
  | FunctionClass<CoGroupFunction<A, B, R>>;

/** What initializeState gets (Flink's FunctionInitializationContext). */
export interface FunctionInitializationContext {
  /** True when the operator's state was restored from a checkpoint or savepoint; false until checkpoints exist. */
  isRestored(): boolean;
  /** The subtask's operator state: list, union list and broadcast states, by name. */
  getOperatorStateStore(): OperatorStateStore;
  /** Keyed state, on a keyed stream (elsewhere its methods fail with STATE_NOT_KEYED); no key is current here. */
  getKeyedStateStore(): KeyedStateStore;
}

/** What snapshotState gets: the checkpoint being taken. */
export interface FunctionSnapshotContext {
  getCheckpointId(): number;
  /** When the checkpoint was triggered (ms since the epoch). */
  getCheckpointTimestamp(): number;
}

/**
 * A function with operator state (Flink's CheckpointedFunction). initializeState runs before open()
 * on every subtask, restored or not: get the states there and keep them. snapshotState is called by
 * each checkpoint, on the task's turn between records, before the states are copied: move anything
 * held outside them into them there.
 */
export interface CheckpointedFunction {
  initializeState(context: FunctionInitializationContext): void | Promise<void>;
  snapshotState(context: FunctionSnapshotContext): void;
}

/** What both sides of a broadcast connect may do besides emitting main records. */
export interface BaseBroadcastContext extends ProcessContext {
  currentProcessingTime(): number;
  /** The operator's watermark: the minimum of both inputs' (MIN_WATERMARK, -Infinity, before the first). */
  currentWatermark(): number;
}

/** processBroadcastElement's context: the broadcast states may be read and changed. */
export interface BroadcastContext extends BaseBroadcastContext {
  /** One of the states whose descriptors were given to broadcast(...); another name fails. */
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V>;
}

/** processElement's context: the broadcast states are read-only (a write fails with STATE_READ_ONLY). */
export interface ReadOnlyBroadcastContext extends BaseBroadcastContext {
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V>;
}

/**
 * Flink's BroadcastProcessFunction: processElement for the records of the non-broadcast stream,
 * processBroadcastElement for those of the broadcast stream, which every subtask receives. Only the
 * broadcast side changes broadcast state, so that it stays the same on every subtask: make the
 * change depend on the broadcast record alone (not on the subtask, nor on other state).
 */
export interface BroadcastProcessFunction<IN1, IN2, OUT> extends RichFunction {
  processElement(value: IN1, ctx: ReadOnlyBroadcastContext, out: Collector<OUT>): void;
  processBroadcastElement(value: IN2, ctx: BroadcastContext, out: Collector<OUT>): void;
}

/** processBroadcastElement's context on a keyed stream: also reaches every key's keyed state. */
export interface KeyedBroadcastContext<K> extends BroadcastContext {
  /**
   * Calls `fn` once for every key of this subtask that has an entry in the state of `descriptor`,
   * with that key current and its state (Flink's applyToKeyedState); `fn` may update or clear it.
   */
  applyToKeyedState<S extends State>(descriptor: StateDescriptor<S>, fn: (key: K, state: S) => void): void;
}

/** processElement's context on a keyed stream: the record's key, timers for it, read-only broadcast state. */
export interface KeyedReadOnlyBroadcastContext<K> extends ReadOnlyBroadcastContext {
  getCurrentKey(): K;
  timerService(): TimerService;
}

/** What onTimer gets in a KeyedBroadcastProcessFunction: the firing timer's key is current. */
export interface KeyedBroadcastOnTimerContext<K> extends KeyedReadOnlyBroadcastContext<K> {
  timeDomain(): TimeDomain;
}

/**
 * Flink's KeyedBroadcastProcessFunction: a BroadcastProcessFunction whose non-broadcast stream is
 * keyed. processElement runs with the record's key current (keyed state through the runtime context,
 * timers through ctx.timerService()); processBroadcastElement has no current key, and reaches keyed
 * state through ctx.applyToKeyedState only.
 */
export interface KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> extends RichFunction {
  processElement(value: IN1, ctx: KeyedReadOnlyBroadcastContext<K>, out: Collector<OUT>): void;
  processBroadcastElement(value: IN2, ctx: KeyedBroadcastContext<K>, out: Collector<OUT>): void;
  /** A timer registered through ctx.timerService() fired (BATCH: every timer fires at the end of input). */
  onTimer?(timestamp: number, ctx: KeyedBroadcastOnTimerContext<K>, out: Collector<OUT>): void;
}

export type BroadcastProcessFunctionLike<IN1, IN2, OUT> = BroadcastProcessFunction<IN1, IN2, OUT> | FunctionClass<BroadcastProcessFunction<IN1, IN2, OUT>>;
export type KeyedBroadcastProcessFunctionLike<K, IN1, IN2, OUT> =
  | KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>
  | FunctionClass<KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>>;
