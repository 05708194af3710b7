// DataStream<T>: a stream of records of type T, as the user's program declares it. Each method adds
// one transformation to the environment's StreamGraph; nothing runs until the job is planned and
// deployed. Operators take a function, an object with the method, or a class (see functions.ts).
// An operator takes the environment's parallelism when it is declared (as in Flink); where that
// differs from its input's, records are rebalanced across the network unless a partitioning says how.
// map, flatMap and filter call their functions synchronously; mapAsync, flatMapAsync and filterAsync
// take functions that may return a promise, and keep the input order (on a KeyedStream, each key's).
import type { Observable, OperatorFunction } from 'rxjs';
import { WeirError } from '../messages/errors.ts';
import type { Partitioning } from '../messages/job-graph.ts';
import { ALL_KEY, AllWindowedStream } from './all-windowed-stream.ts';
import { BroadcastConnectedStream } from './broadcast-connected-stream.ts';
import { type AnyMapStateDescriptor, BroadcastStream, checkBroadcastDescriptors, isBroadcastStream } from './broadcast-stream.ts';
import { ConnectedStreams } from './connected-streams.ts';
import { DeclaredOperator, type OperatorDeclaration } from './declared-operator.ts';
import { describeValue } from './eventtime/describe-value.ts';
import { type WatermarkStrategy, isWatermarkStrategy } from './eventtime/watermark-strategy.ts';
import { collectStream, observeStream } from './execution.ts';
import type {
  AsyncFilterFunction,
  AsyncFilterFunctionLike,
  AsyncFlatMapFunction,
  AsyncFlatMapFunctionLike,
  AsyncMapFunction,
  AsyncMapFunctionLike,
  AsyncOptions,
  FilterFunction,
  FilterFunctionLike,
  FlatMapFunction,
  FlatMapFunctionLike,
  MapFunction,
  MapFunctionLike,
  NotPromise,
  ProcessFunction,
  ProcessFunctionLike,
  SideOutputTag,
  SinkFunction,
  SinkFunctionLike,
} from './functions.ts';
import type { StreamGraph } from './graph/stream-graph.ts';
import { type CustomPartitionFunction, type KeySelector, type PartitionTransformation, defaultOperatorId, describeTransformation } from './graph/transformation.ts';
import { CoGroupedStreams } from './join/co-grouped-streams.ts';
import { JoinedStreams } from './join/joined-streams.ts';
import type { KeyedStream } from './keyed-stream.ts';
import { ASYNC_FILTER_KIND, AsyncFilterOperator } from './operators/async-filter.ts';
import { ASYNC_FLAT_MAP_KIND, AsyncFlatMapOperator } from './operators/async-flat-map.ts';
import { ASYNC_MAP_KIND, AsyncMapOperator } from './operators/async-map.ts';
import { type AsyncSettings, asyncConfig, asyncSettings } from './operators/async-options.ts';
import { FILTER_KIND, FilterOperator } from './operators/filter.ts';
import { FLAT_MAP_KIND, FlatMapOperator } from './operators/flat-map.ts';
import { MAP_KIND, MapOperator } from './operators/map.ts';
import { InputKey } from './operators/keyed-runtime.ts';
import { PROCESS_KIND, ProcessOperator } from './operators/process.ts';
import { RX_PIPE_KIND, RxPipeOperator } from './operators/rx-pipe.ts';
import { TIMESTAMPS_KIND, TimestampsAndWatermarksOperator } from './operators/timestamps-and-watermarks.ts';
import type { ChainOperator, OperatorRuntime, Output } from './runtime/chain.ts';
import type { Key } from './runtime/key-groups.ts';
import { userFunctionFactory } from './runtime/user-function.ts';
import type { WindowAssigner } from './windowing/assigners/window-assigner.ts';
import type { GlobalWindow } from './windowing/windows/global-window.ts';
import type { Window } from './windowing/windows/window.ts';
import type { FileSink } from './sinks/file-sink.ts';
import { FUNCTION_SINK_KIND, FunctionSink } from './sinks/function-sink.ts';
import { JSON_LINES_SINK_KIND, JsonLinesSink } from './sinks/json-lines-sink.ts';
import { PRINT_SINK_KIND, PrintSink } from './sinks/print-sink.ts';
import { TEXT_FILE_SINK_KIND, TextFileSink } from './sinks/text-file-sink.ts';
import { transactionalSink } from './sinks/transactional-sink.ts';
import type { TwoPhaseCommitSink } from './sinks/two-phase-commit-sink.ts';

/** What an async operator's declaration makes, once its options are checked: the operator of a subtask. */
type AsyncOperatorFactory = (runtime: OperatorRuntime, output: Output<unknown>, settings: AsyncSettings) => ChainOperator<unknown>;

type KeyedStreamClass = new <T, K extends Key>(graph: StreamGraph, partition: PartitionTransformation, keySelector: KeySelector) => KeyedStream<T, K>;

/**
 * KeyedStream extends DataStream, so this module cannot import it without an import cycle that
 * breaks class evaluation; keyed-stream.ts registers itself here instead (environment.ts imports it).
 */
let keyedStreamClass: KeyedStreamClass | undefined;

export function registerKeyedStream(constructor: KeyedStreamClass): void {
  keyedStreamClass = constructor;
}

/** The end of a pipeline: a sink can be named, given a uid and a parallelism, not consumed. */
export class DataStreamSink<T> extends DeclaredOperator {
  /** Carries the record type. */
  declare private readonly __type?: T;
}

export class DataStream<T> extends DeclaredOperator {
  /** One record out per record in. A function that returns a promise does not compile: use mapAsync(). */
  map<R>(fn: MapFunctionLike<T, R & NotPromise<R>>): DataStream<R> {
    return this.oneInput<R>(MAP_KIND, 'Map', (operator) => {
      const factory = userFunctionFactory<MapFunction<T, R>>(fn, 'map', operator);
      return (runtime, output) => new MapOperator(runtime, factory, output as Output<R>, this.inputKey(runtime));
    });
  }

  /** The records for which `fn` returns true. */
  filter<S extends T>(fn: (value: T) => value is S): DataStream<S>;
  filter(fn: FilterFunctionLike<T>): DataStream<T>;
  filter(fn: FilterFunctionLike<T>): DataStream<T> {
    return this.oneInput<T>(FILTER_KIND, 'Filter', (operator) => {
      const factory = userFunctionFactory<FilterFunction<T>>(fn, 'filter', operator);
      return (runtime, output) => new FilterOperator(runtime, factory, output as Output<T>, this.inputKey(runtime));
    });
  }

  /** Zero or more records out per record in: emitted through the collector, or returned as an iterable. */
  flatMap<R>(fn: FlatMapFunctionLike<T, R>): DataStream<R> {
    return this.oneInput<R>(FLAT_MAP_KIND, 'Flat Map', (operator) => {
      const factory = userFunctionFactory<FlatMapFunction<T, R>>(fn, 'flatMap', operator);
      return (runtime, output) => new FlatMapOperator(runtime, factory, output as Output<R>, this.inputKey(runtime));
    });
  }

  /**
   * One record out per record in, from a function that may return a promise (an async function).
   * Up to `capacity` records are in flight per subtask; results leave in input order (Flink's
   * AsyncDataStream.orderedWait).
   */
  mapAsync<R>(fn: AsyncMapFunctionLike<T, R>, options?: AsyncOptions): DataStream<R> {
    return this.asyncOperator<R>(ASYNC_MAP_KIND, 'Async Map', 'mapAsync', options, (operator) => {
      const factory = userFunctionFactory<AsyncMapFunction<T, R>>(fn, 'map', operator);
      return (runtime, output, settings) => new AsyncMapOperator(runtime, factory, output as Output<R>, settings);
    });
  }

  /** Zero or more records out per record in: the function returns them (an iterable, or nothing), or a promise of them. */
  flatMapAsync<R>(fn: AsyncFlatMapFunctionLike<T, R>, options?: AsyncOptions): DataStream<R> {
    return this.asyncOperator<R>(ASYNC_FLAT_MAP_KIND, 'Async Flat Map', 'flatMapAsync', options, (operator) => {
      const factory = userFunctionFactory<AsyncFlatMapFunction<T, R>>(fn, 'flatMap', operator);
      return (runtime, output, settings) => new AsyncFlatMapOperator(runtime, factory, output as Output<R>, settings);
    });
  }

  /** The records for which `fn` returns true, or a promise of true; in input order. */
  filterAsync(fn: AsyncFilterFunctionLike<T>, options?: AsyncOptions): DataStream<T> {
    return this.asyncOperator<T>(ASYNC_FILTER_KIND, 'Async Filter', 'filterAsync', options, (operator) => {
      const factory = userFunctionFactory<AsyncFilterFunction<T>>(fn, 'filter', operator);
      return (runtime, output, settings) => new AsyncFilterOperator(runtime, factory, output as Output<T>, settings);
    });
  }

  /**
   * Gives each record the timestamp `strategy`'s assigner returns and generates watermarks from them
   * (Flink's assignTimestampsAndWatermarks); watermarks from upstream stop here.
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): DataStream<T> {
    return this.oneInput<T>(TIMESTAMPS_KIND, 'Timestamps/Watermarks', (operator) => {
      if (!isWatermarkStrategy(strategy)) throw new WeirError('INVALID_ARGUMENT', `${operator}: assignTimestampsAndWatermarks() needs a WatermarkStrategy, got ${describeValue(strategy)}`);
      return (runtime, output) => new TimestampsAndWatermarksOperator<T>(runtime, strategy, output as Output<T>);
    });
  }

  /** Records out through `out`, side outputs through `ctx.output(tag, value)` (read them with getSideOutput). */
  process<R>(fn: ProcessFunctionLike<T, R>): DataStream<R> {
    return this.oneInput<R>(PROCESS_KIND, 'Process', (operator) => {
      const factory = userFunctionFactory<ProcessFunction<T, R>>(fn, 'processElement', operator);
      return (runtime, output) => new ProcessOperator(runtime, factory, output as Output<R>);
    });
  }

  /** Runs synchronous RxJS operators on each subtask's records (see operators/rx-pipe.ts for the limits). */
  pipe(): DataStream<T>;
  pipe<A>(op1: OperatorFunction<T, A>): DataStream<A>;
  pipe<A, B>(op1: OperatorFunction<T, A>, op2: OperatorFunction<A, B>): DataStream<B>;
  pipe<A, B, C>(op1: OperatorFunction<T, A>, op2: OperatorFunction<A, B>, op3: OperatorFunction<B, C>): DataStream<C>;
  pipe<A, B, C, D>(op1: OperatorFunction<T, A>, op2: OperatorFunction<A, B>, op3: OperatorFunction<B, C>, op4: OperatorFunction<C, D>): DataStream<D>;
  pipe<A, B, C, D, E>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
  ): DataStream<E>;
  pipe(...operations: OperatorFunction<never, unknown>[]): DataStream<unknown>;
  pipe(...operations: OperatorFunction<never, unknown>[]): DataStream<T> | DataStream<unknown> {
    return this.oneInput<unknown>(RX_PIPE_KIND, 'Pipe', (operator) => {
      const invalid = operations.findIndex((operation) => typeof operation !== 'function');
      if (invalid >= 0) throw new WeirError('INVALID_FUNCTION', `${operator}: pipe() takes RxJS operators; argument ${invalid + 1} is a ${typeof operations[invalid]}`);
      return (runtime, output) => new RxPipeOperator(runtime, operations, output);
    });
  }

  /** Partitions by key: records with equal keys go to the same subtask of the next operator. */
  keyBy<K extends Key>(keySelector: (value: T) => K): KeyedStream<T, K> {
    const selector = checkFunction(keySelector, 'keyBy() needs a key selector function', this.graph.nextIndex, 'key-by');
    if (!keyedStreamClass) throw new Error('keyed-stream.ts was not loaded: import the API from api/index.ts');
    const partition = this.partition('hash', 'key-by', 'Key By', { keySelector: selector as KeySelector });
    return new keyedStreamClass<T, K>(this.graph, partition, selector as KeySelector);
  }

  /** Windows over the whole stream, evaluated at parallelism 1 (Flink's windowAll). */
  windowAll<W extends Window>(assigner: WindowAssigner<T, W>): AllWindowedStream<T, W> {
    return new AllWindowedStream<T, W>(this.keyBy(() => ALL_KEY).window(assigner));
  }

  /** Windows of `size` records of the whole stream (sliding by `slide` records when given), at parallelism 1. */
  countWindowAll(size: number, slide?: number): AllWindowedStream<T, GlobalWindow> {
    return new AllWindowedStream<T, GlobalWindow>(this.keyBy(() => ALL_KEY).countWindow(size, slide));
  }

  /** One stream of the records of this stream and of every other (of the same type). */
  union(...others: DataStream<T>[]): DataStream<T> {
    const inputs = [this.transformation, ...others.map((other) => other.transformation)];
    const union = this.declareVirtual((index) => ({ role: 'union', index, kind: 'union', name: 'Union', uid: undefined, inputs }));
    return new DataStream<T>(this.graph, union);
  }

  /** With a BroadcastStream (broadcast(...descriptors)): processed by a BroadcastProcessFunction (Flink's broadcast state pattern). */
  connect<R>(other: BroadcastStream<R>): BroadcastConnectedStream<T, R>;
  /** Two streams processed together by a CoMap, CoFlatMap or CoProcess function. */
  connect<R>(other: DataStream<R>): ConnectedStreams<T, R>;
  connect<R>(other: DataStream<R> | BroadcastStream<R>): ConnectedStreams<T, R> | BroadcastConnectedStream<T, R> {
    if (isBroadcastStream(other)) return new BroadcastConnectedStream<T, R>(this.graph, this.transformation, other);
    return new ConnectedStreams<T, R>(this.graph, this.transformation, other.transformation);
  }

  /** The records this operator emitted to `tag` through ctx.output (Flink's getSideOutput). */
  getSideOutput<X>(tag: SideOutputTag<X>): DataStream<X> {
    const input = this.transformation;
    if (input.role !== 'operator') {
      throw new WeirError('INVALID_ARGUMENT', `${describeTransformation(input)}: getSideOutput() needs the stream of an operator, such as the one process() returns`);
    }
    if (typeof tag?.id !== 'string') throw new WeirError('INVALID_ARGUMENT', `${describeTransformation(input)}: getSideOutput() needs an OutputTag`);
    const side = this.declareVirtual((index) => ({ role: 'side-output', index, kind: 'side-output', name: `Side Output ${tag.id}`, uid: undefined, input, tag: tag.id }));
    return new DataStream<X>(this.graph, side);
  }

  /** Each subtask sends to the next operator's subtask of the same index (same parallelism only). */
  forward(): DataStream<T> {
    return new DataStream<T>(this.graph, this.partition('forward', 'forward', 'Forward'));
  }

  /** Round robin over every subtask of the next operator. */
  rebalance(): DataStream<T> {
    return new DataStream<T>(this.graph, this.partition('rebalance', 'rebalance', 'Rebalance'));
  }

  /** Round robin over a subset of the next operator's subtasks, near this subtask. */
  rescale(): DataStream<T> {
    return new DataStream<T>(this.graph, this.partition('rescale', 'rescale', 'Rescale'));
  }

  /** A random subtask of the next operator for each record. */
  shuffle(): DataStream<T> {
    return new DataStream<T>(this.graph, this.partition('shuffle', 'shuffle', 'Shuffle'));
  }

  /** Every record to every subtask of the next operator. */
  broadcast(): DataStream<T>;
  /**
   * A BroadcastStream to connect() to another stream: every record reaches every subtask of that
   * operator, which keeps a broadcast state per descriptor (Flink's broadcast(MapStateDescriptor...)).
   */
  broadcast(...descriptors: [AnyMapStateDescriptor, ...AnyMapStateDescriptor[]]): BroadcastStream<T>;
  broadcast(...descriptors: AnyMapStateDescriptor[]): DataStream<T> | BroadcastStream<T> {
    const checked = checkBroadcastDescriptors(descriptors, `step "${defaultOperatorId('broadcast', this.graph.nextIndex)}"`);
    const partition = this.partition('broadcast', 'broadcast', 'Broadcast');
    return checked.length === 0 ? new DataStream<T>(this.graph, partition) : new BroadcastStream<T>(partition, checked);
  }

  /** Every record to the first subtask of the next operator. */
  global(): DataStream<T> {
    return new DataStream<T>(this.graph, this.partition('global', 'global', 'Global'));
  }

  /** `partitioner(key, partitions)` picks the subtask (0..partitions-1) of each record's key. */
  partitionCustom<K>(partitioner: (key: K, partitions: number) => number, keySelector: (value: T) => K): DataStream<T> {
    const index = this.graph.nextIndex;
    const partition = checkFunction(partitioner, 'partitionCustom() needs a partitioner function', index, 'partition-custom');
    const selector = checkFunction(keySelector, 'partitionCustom() needs a key selector function', index, 'partition-custom');
    return new DataStream<T>(
      this.graph,
      this.partition('custom', 'partition-custom', 'Custom Partition', { keySelector: selector as KeySelector, partition: partition as CustomPartitionFunction }),
    );
  }

  /** Prints each record on the subtask's stdout: `value`, or `2> value` when the sink is parallel. */
  print(prefix?: string): DataStreamSink<T> {
    const config = prefix === undefined ? {} : { prefix };
    return this.sink(PRINT_SINK_KIND, 'Sink: Print', config, (operator) => {
      if (prefix !== undefined && typeof prefix !== 'string') {
        throw new WeirError('INVALID_ARGUMENT', `${operator}: print() takes an optional string prefix, got ${typeof prefix}`);
      }
      return (runtime) => new PrintSink(runtime, prefix);
    });
  }

  /**
   * A sink function: its invoke() is called for each record, with open() and close() around them.
   * A FileSink (FileSink.forRowFormat(...).build()) or a TwoPhaseCommitSink (an instance, or its
   * class): exactly-once output, committed when checkpoints complete and at the end of input.
   */
  sinkTo(sink: SinkFunctionLike<T>): DataStreamSink<T>;
  sinkTo(sink: FileSink<T>): DataStreamSink<T>;
  sinkTo<TXN>(sink: TwoPhaseCommitSink<T, TXN> | (new () => TwoPhaseCommitSink<T, TXN>)): DataStreamSink<T>;
  sinkTo(sink: SinkFunctionLike<T> | FileSink<T> | TwoPhaseCommitSink<T, unknown> | (new () => TwoPhaseCommitSink<T, unknown>)): DataStreamSink<T> {
    const transactional = transactionalSink(sink);
    if (transactional !== null) return this.sink(transactional.kind, transactional.name, transactional.config, transactional.factory);
    return this.sink(FUNCTION_SINK_KIND, 'Sink: Function', {}, (operator) => {
      const factory = userFunctionFactory<SinkFunction<T>>(sink, 'invoke', operator);
      return (runtime) => new FunctionSink(runtime, factory);
    });
  }

  /** Writes each record as a line to `<directory>/part-<subtaskIndex>`, creating the directory. */
  writeAsText(directory: string): DataStreamSink<T> {
    return this.sink(TEXT_FILE_SINK_KIND, 'Sink: Text File', { directory }, (operator) => {
      if (typeof directory !== 'string' || directory === '') {
        throw new WeirError('INVALID_ARGUMENT', `${operator}: writeAsText() needs a directory path, got ${String(directory)}`);
      }
      return (runtime) => new TextFileSink(runtime, directory);
    });
  }

  /** Writes each record as a line of JSON to `<directory>/part-<subtaskIndex>.jsonl`, creating the directory. */
  writeAsJsonLines(directory: string): DataStreamSink<T> {
    return this.sink(JSON_LINES_SINK_KIND, 'Sink: JSON Lines', { directory }, (operator) => {
      if (typeof directory !== 'string' || directory === '') {
        throw new WeirError('INVALID_ARGUMENT', `${operator}: writeAsJsonLines() needs a directory path, got ${String(directory)}`);
      }
      return (runtime) => new JsonLinesSink(runtime, directory);
    });
  }

  /**
   * Runs the environment's job and yields this stream's records on the client (Flink's
   * executeAndCollect): a collect sink is added here; the job starts at the first read.
   */
  executeAndCollect(jobName?: string): AsyncIterableIterator<T> {
    return collectStream<T>(this.graph, this.transformation, jobName);
  }

  /** This stream's records on the client: the collect sink is added now, each subscription runs the job. */
  toObservable(jobName?: string): Observable<T> {
    return observeStream<T>(this.graph, this.transformation, jobName);
  }

  /**
   * A window join with `other` (Flink's join): `.where(key).equalTo(otherKey).window(assigner)
   * .apply((a, b) => result)` pairs every record of this stream with every record of `other` of the
   * same key and window.
   */
  join<B>(other: DataStream<B>): JoinedStreams<T, B> {
    return new JoinedStreams<T, B>(this, other);
  }

  /**
   * A window coGroup with `other` (Flink's coGroup): `.where(key).equalTo(otherKey)
   * .window(assigner).apply((first, second, out) => ...)` gets each key's and window's records of
   * both streams at once.
   */
  coGroup<B>(other: DataStream<B>): CoGroupedStreams<T, B> {
    return new CoGroupedStreams<T, B>(this, other);
  }

  protected oneInput<R>(kind: string, name: string, factory: OperatorDeclaration['factory'], config?: Record<string, unknown>): DataStream<R> {
    return new DataStream<R>(this.graph, this.declareOperator({ role: 'operator', kind, name, factory, ...(config ? { config } : {}) }));
  }

  /** On a keyed stream, keyed state for a rich map, filter or flatMap (Flink allows it after keyBy); null here. */
  private inputKey(runtime: OperatorRuntime): InputKey | null {
    const keySelector = this.streamKeySelector();
    return keySelector === null ? null : new InputKey(runtime, keySelector);
  }

  /** The key selector of a keyed stream, whose key order async operators keep by default; null here. */
  protected streamKeySelector(): KeySelector | null {
    return null;
  }

  /** Declares mapAsync, flatMapAsync or filterAsync (`method`), checking its options where it is declared. */
  private asyncOperator<R>(kind: string, name: string, method: string, options: unknown, factory: (operator: string) => AsyncOperatorFactory): DataStream<R> {
    const streamKey = this.streamKeySelector();
    return this.oneInput<R>(
      kind,
      name,
      (operator) => {
        const settings = asyncSettings(options, `${operator}: ${method}()`, streamKey);
        const create = factory(operator);
        return (runtime, output) => create(runtime, output, settings);
      },
      asyncConfig(options, streamKey !== null),
    );
  }

  private sink(kind: string, name: string, config: Record<string, unknown>, factory: OperatorDeclaration['factory']): DataStreamSink<T> {
    return new DataStreamSink<T>(this.graph, this.declareOperator({ role: 'sink', kind, name, config, factory }));
  }

  private partition(
    partitioning: Partitioning,
    kind: string,
    name: string,
    functions: Pick<PartitionTransformation, 'keySelector' | 'partition'> = {},
  ): PartitionTransformation {
    const input = this.transformation;
    return this.declareVirtual((index) => ({ role: 'partition', index, kind, name, uid: undefined, input, partitioning, ...functions }));
  }
}

/** Checks a function given to a partitioning step, whose id (`key-by-3`) the error names. */
function checkFunction<F>(value: F, problem: string, index: number, kind: string): F {
  if (typeof value !== 'function') {
    throw new WeirError('INVALID_FUNCTION', `step "${defaultOperatorId(kind, index)}": ${problem}, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

