// KeyedStream<T, K>: a stream partitioned by key (Flink's KeyedStream). Records with equal keys reach
// the same subtask of the next operator, and keyed operators keep state per key. The key type K
// flows from keyBy's selector to process()'s context. Aggregations emit the updated value per record
// in STREAMING mode, and each key's final value at end of input in BATCH mode, where a combiner in
// the upstream task pre-aggregates so that fewer records cross the shuffle. Async operators keep
// each key's input order and let different keys overtake each other (`order: 'input'`: none do).
import { WeirError } from '../messages/errors.ts';
import { KeyedBroadcastConnectedStream } from './broadcast-connected-stream.ts';
import { type BroadcastStream, isBroadcastStream } from './broadcast-stream.ts';
import { type ConnectedStreams, KeyedConnectedStreams } from './connected-streams.ts';
import { DataStream, registerKeyedStream } from './data-stream.ts';
import type {
  MapFunctionLike,
  MapFunction,
  FlatMapFunctionLike,
  FlatMapFunction,
  FilterFunctionLike,
  FilterFunction,
  AsyncFilterFunctionLike,
  AsyncFlatMapFunctionLike,
  AsyncMapFunctionLike,
  KeyedAsyncOptions,
  KeyedProcessFunction,
  KeyedProcessFunctionLike,
  ReduceFunction,
  ReduceFunctionLike,
} from './functions.ts';
import { describeValue } from './eventtime/describe-value.ts';
import type { StreamGraph } from './graph/stream-graph.ts';
import type { KeySelector, OperatorFactory, PartitionTransformation } from './graph/transformation.ts';
import { IntervalJoin } from './interval-join.ts';
import { AGGREGATION_NAMES, type Aggregation, type AggregationKind, type FieldName, aggregation } from './operators/aggregations.ts';
import { KEYED_PROCESS_KIND, KeyedProcessOperator } from './operators/keyed-process.ts';
import { KeyedReduceOperator } from './operators/keyed-reduce.ts';
import type { Output } from './runtime/chain.ts';
import { type Key, keyGroupRangeFor } from './runtime/key-groups.ts';
import { type UserFunctionFactory, userFunctionFactory } from './runtime/user-function.ts';
import { WINDOW_KIND, WindowedStream } from './windowed-stream.ts';
import type { WindowAssigner } from './windowing/assigners/window-assigner.ts';
import { GlobalWindows } from './windowing/assigners/global-windows.ts';
import { CountEvictor } from './windowing/evictors/count-evictor.ts';
import { CountTrigger } from './windowing/triggers/count-trigger.ts';
import { PurgingTrigger } from './windowing/triggers/purging-trigger.ts';
import type { GlobalWindow } from './windowing/windows/global-window.ts';
import type { Window } from './windowing/windows/window.ts';

/** F when field F of T holds numbers, else never: sum('word') does not compile. */
export type NumericField<T, F extends keyof T> = T[F] extends number ? F : never;
/** F when field F of T holds values that compare with < (numbers, strings, bigints). */
export type ComparableField<T, F extends keyof T> = T[F] extends number | string | bigint ? F : never;

export class KeyedStream<T, K extends Key> extends DataStream<T> {
  /** Made by DataStream.keyBy; not for user code. */
  constructor(
    graph: StreamGraph,
    partition: PartitionTransformation,
    private readonly keySelector: KeySelector,
  ) {
    super(graph, partition);
  }

  /** The running reduction per key: `fn(accumulated, value)`. */
  reduce(fn: ReduceFunctionLike<T>): DataStream<T> {
    return this.reduction('reduce', 'Reduce', {}, (operator) => {
      const factory = userFunctionFactory<ReduceFunction<T>>(fn, 'reduce', operator);
      return () => ({ factory, copyOnEmit: true });
    });
  }

  /** The running sum per key of the records (numbers), or of one numeric field (keeping the other fields of the first record). */
  sum(this: KeyedStream<number, K>): DataStream<number>;
  sum<F extends keyof T>(field: NumericField<T, F>): DataStream<T>;
  sum(field?: FieldName): DataStream<T> | DataStream<number> {
    return this.aggregate('sum', field);
  }

  /** The smallest value of a field per key, in the first record's other fields. */
  min(this: KeyedStream<number, K>): DataStream<number>;
  min<F extends keyof T>(field: ComparableField<T, F>): DataStream<T>;
  min(field?: FieldName): DataStream<T> | DataStream<number> {
    return this.aggregate('min', field);
  }

  max(this: KeyedStream<number, K>): DataStream<number>;
  max<F extends keyof T>(field: ComparableField<T, F>): DataStream<T>;
  max(field?: FieldName): DataStream<T> | DataStream<number> {
    return this.aggregate('max', field);
  }

  /** The record with the smallest value of a field per key (the earlier one on a tie). */
  minBy(this: KeyedStream<number, K>): DataStream<number>;
  minBy<F extends keyof T>(field: ComparableField<T, F>): DataStream<T>;
  minBy(field?: FieldName): DataStream<T> | DataStream<number> {
    return this.aggregate('min-by', field);
  }

  maxBy(this: KeyedStream<number, K>): DataStream<number>;
  maxBy<F extends keyof T>(field: ComparableField<T, F>): DataStream<T>;
  maxBy(field?: FieldName): DataStream<T> | DataStream<number> {
    return this.aggregate('max-by', field);
  }

  /** Groups each key's records into windows (Flink's KeyedStream.window): close with reduce, aggregate, process, sum, ... */
  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    return new WindowedStream<T, K, W>((name, factory, config) => this.oneInput(WINDOW_KIND, name, factory, config), this.keySelector, assigner);
  }

  /**
   * Windows of `size` records per key (Flink's countWindow): each fires and is purged when full; with
   * `slide`, a window of the last `size` records fires every `slide` records.
   */
  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    const windowed = this.window(GlobalWindows.create() as WindowAssigner<T, GlobalWindow>);
    if (slide === undefined) return windowed.trigger(PurgingTrigger.of<T, GlobalWindow>(CountTrigger.of<GlobalWindow>(size)));
    return windowed.evictor(CountEvictor.of<GlobalWindow>(size)).trigger(CountTrigger.of<GlobalWindow>(slide));
  }

  /** Like DataStream.process, with `ctx.getCurrentKey()`. */
  override process<R>(fn: KeyedProcessFunctionLike<K, T, R>): DataStream<R> {
    const keySelector = this.keySelector;
    return this.oneInput<R>(KEYED_PROCESS_KIND, 'Keyed Process', (operator) => {
      const factory = userFunctionFactory<KeyedProcessFunction<K, T, R>>(fn, 'processElement', operator);
      return (runtime, output) => new KeyedProcessOperator<K, T, R>(runtime, factory, keySelector, output as Output<R>);
    });
  }

  /**
   * Like DataStream.mapAsync, but the results of one key leave in that key's input order and those
   * of different keys as soon as they complete; `order: 'input'` keeps the whole input order.
   */
  override mapAsync<R>(fn: AsyncMapFunctionLike<T, R>, options?: KeyedAsyncOptions): DataStream<R> {
    return super.mapAsync(fn, options);
  }

  /** Like DataStream.flatMapAsync, in each key's order (see mapAsync). */
  override flatMapAsync<R>(fn: AsyncFlatMapFunctionLike<T, R>, options?: KeyedAsyncOptions): DataStream<R> {
    return super.flatMapAsync(fn, options);
  }

  /** Like DataStream.filterAsync, in each key's order (see mapAsync). */
  override filterAsync(fn: AsyncFilterFunctionLike<T>, options?: KeyedAsyncOptions): DataStream<T> {
    return super.filterAsync(fn, options);
  }

  /**
   * Connected to another keyed stream of the same key type, process() is keyed: each input keyed by
   * its own selector, records of equal keys on one subtask, keyed state and timers shared by both.
   */
  override connect<R>(other: KeyedStream<R, K>): KeyedConnectedStreams<T, R, K>;
  /** Connected to a BroadcastStream, process() takes a KeyedBroadcastProcessFunction (this stream's keys, keyed state, timers). */
  override connect<R>(other: BroadcastStream<R>): KeyedBroadcastConnectedStream<K, T, R>;
  override connect<R>(other: DataStream<R>): ConnectedStreams<T, R>;
  override connect<R>(other: DataStream<R> | BroadcastStream<R>): ConnectedStreams<T, R> | KeyedBroadcastConnectedStream<K, T, R> {
    if (isBroadcastStream(other)) return new KeyedBroadcastConnectedStream<K, T, R>(this.graph, this.transformation, other, this.keySelector);
    if (!(other instanceof KeyedStream)) return super.connect(other);
    return new KeyedConnectedStreams<T, R, K>(this.graph, this.transformation, other.transformation, this.keySelector, other.keySelector);
  }

  /** Joins this stream's records with `other`'s of the same key within a time interval (see interval-join.ts). */
  intervalJoin<R>(other: KeyedStream<R, K>): IntervalJoin<T, R, K> {
    const candidate: unknown = other;
    if (!(candidate instanceof KeyedStream)) {
      const got = candidate instanceof DataStream ? 'a stream that is not keyed' : describeValue(candidate);
      throw new WeirError('INVALID_ARGUMENT', `intervalJoin() needs a KeyedStream: call keyBy() on the other stream first; got ${got}`);
    }
    return new IntervalJoin<T, R, K>({ graph: this.graph, left: this.transformation, right: other.transformation, keySelectors: [this.keySelector, other.keySelector] });
  }

  protected override streamKeySelector(): KeySelector {
    return this.keySelector;
  }

  private aggregate(kind: AggregationKind, field: FieldName | undefined): DataStream<T> {
    const config = field === undefined ? {} : { field };
    return this.reduction(kind, AGGREGATION_NAMES[kind], config, (operator) => {
      const copying = aggregation<T>(kind, field, operator, false);
      const inPlace = aggregation<T>(kind, field, operator, true);
      // Every update emitted: the running value (a private copy, or an input record minBy/maxBy
      // keeps) is updated in place and emitted as a copy, so no emitted record is one the state
      // still holds. With object reuse, a fresh object per update, as before.
      return (emitEachUpdate, objectReuse) => {
        if (!emitEachUpdate) return functionsOf(inPlace);
        return objectReuse ? functionsOf(copying) : { ...functionsOf(inPlace), copyOnEmit: true };
      };
    });
  }

  /** `functionsOf(operator)` checks the user's function at declaration and gives, per emission mode, what a subtask runs. */
  private reduction(kind: string, name: string, config: Record<string, unknown>, functionsOf: (operator: string) => ReduceFunctions<T>): DataStream<T> {
    const keySelector = this.keySelector;
    const reducer = (operator: string, combiner: boolean): OperatorFactory => {
      const functions = functionsOf(operator);
      return (runtime, output) => {
        const { subtaskIndex, parallelism, maxParallelism } = runtime.subtask;
        const emitEachUpdate = !combiner && runtime.runtimeMode === 'STREAMING';
        const { factory, firstValue, copyOnEmit = false } = functions(emitEachUpdate, runtime.objectReuse);
        return new KeyedReduceOperator<T>(runtime, factory, keySelector, output as Output<T>, {
          emitEachUpdate,
          copyOnEmit,
          keyGroups: combiner ? null : keyGroupRangeFor(subtaskIndex, maxParallelism, parallelism),
          ...(firstValue ? { firstValue } : {}),
        });
      };
    };
    const declared = this.declareOperator({
      role: 'operator',
      kind,
      name,
      config,
      factory: (operator) => reducer(operator, false),
      combiner: (operator) => ({ kind: `${kind}-combiner`, createOperator: reducer(operator, true) }),
    });
    return new DataStream<T>(this.graph, declared);
  }
}

/** What a keyed reduction runs, given whether every update is emitted and whether object reuse is on. */
type ReduceFunctions<T> = (emitEachUpdate: boolean, objectReuse: boolean) => {
  readonly factory: UserFunctionFactory<ReduceFunction<T>>;
  readonly firstValue?: (value: T) => T;
  readonly copyOnEmit?: boolean;
};

function functionsOf<T>(chosen: Aggregation<T>): ReturnType<ReduceFunctions<T>> {
  const reduce = chosen.reduce;
  return chosen.firstValue ? { factory: () => reduce, firstValue: chosen.firstValue } : { factory: () => reduce };
}

registerKeyedStream(KeyedStream);
