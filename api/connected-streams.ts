// ConnectedStreams<A, B>: two streams, possibly of different types, processed by one two-input
// operator (Flink's ConnectedStreams). The operator is the head of its own task: its inputs arrive
// over the network, interleaved in arrival order, input 0 from the first stream and 1 from the second.
// Two keyed streams connected (KeyedStream.connect) make KeyedConnectedStreams, whose operators are
// keyed: state per key shared by both inputs, and in process() timers per key.
import { DataStream } from './data-stream.ts';
import { type OperatorDeclaration, declareOperator } from './declared-operator.ts';
import type {
  CoFlatMapFunction,
  CoFlatMapFunctionLike,
  CoMapFunction,
  CoMapFunctionLike,
  CoProcessFunction,
  CoProcessFunctionLike,
  KeyedCoProcessFunction,
  KeyedCoProcessFunctionLike,
} from './functions.ts';
import type { StreamGraph } from './graph/stream-graph.ts';
import type { KeySelector, Transformation } from './graph/transformation.ts';
import { CO_FLAT_MAP_KIND, CoFlatMapOperator } from './operators/co-flat-map.ts';
import { CO_MAP_KIND, CoMapOperator } from './operators/co-map.ts';
import { CO_PROCESS_KIND, CoProcessOperator } from './operators/co-process.ts';
import { KEYED_CO_PROCESS_KIND, KeyedCoProcessOperator } from './operators/keyed-co-process.ts';
import { InputKeys } from './operators/keyed-runtime.ts';
import type { OperatorRuntime, Output } from './runtime/chain.ts';
import type { Key } from './runtime/key-groups.ts';
import { userFunctionFactory } from './runtime/user-function.ts';

export class ConnectedStreams<A, B> {
  /** Made by DataStream.connect; not for user code. */
  constructor(
    protected readonly graph: StreamGraph,
    protected readonly first: Transformation,
    protected readonly second: Transformation,
  ) {}

  /** map1 for the first stream's records, map2 for the second's; one output type. */
  map<R>(fn: CoMapFunctionLike<A, B, R>): DataStream<R> {
    const keys = this.inputKeys();
    return this.declare<R>(CO_MAP_KIND, 'Co-Map', (operator) => {
      const factory = userFunctionFactory<CoMapFunction<A, B, R>>(fn, ['map1', 'map2'], operator);
      return (runtime, output) => new CoMapOperator(runtime, factory, output as Output<R>, keys?.(runtime) ?? null);
    });
  }

  /** flatMap1 / flatMap2: zero or more records per record, through the collector or as an iterable. */
  flatMap<R>(fn: CoFlatMapFunctionLike<A, B, R>): DataStream<R> {
    const keys = this.inputKeys();
    return this.declare<R>(CO_FLAT_MAP_KIND, 'Co-Flat Map', (operator) => {
      const factory = userFunctionFactory<CoFlatMapFunction<A, B, R>>(fn, ['flatMap1', 'flatMap2'], operator);
      return (runtime, output) => new CoFlatMapOperator(runtime, factory, output as Output<R>, keys?.(runtime) ?? null);
    });
  }

  /** processElement1 / processElement2, with side outputs through the context. */
  process<R>(fn: CoProcessFunctionLike<A, B, R>): DataStream<R> {
    return this.declare<R>(CO_PROCESS_KIND, 'Co-Process', (operator) => {
      const factory = userFunctionFactory<CoProcessFunction<A, B, R>>(fn, ['processElement1', 'processElement2'], operator);
      return (runtime, output) => new CoProcessOperator(runtime, factory, output as Output<R>);
    });
  }

  /** What makes each record's key current in map() and flatMap(): keyed connected streams only. */
  protected inputKeys(): ((runtime: OperatorRuntime) => InputKeys) | null {
    return null;
  }

  protected declare<R>(kind: string, name: string, factory: OperatorDeclaration['factory']): DataStream<R> {
    const declared = declareOperator(this.graph, { role: 'operator', kind, name, factory, inputs: [this.first, this.second] });
    return new DataStream<R>(this.graph, declared);
  }
}

/** Two keyed streams with keys of one type K, connected (Flink's ConnectedStreams of two KeyedStreams). */
export class KeyedConnectedStreams<A, B, K extends Key> extends ConnectedStreams<A, B> {
  /** Made by KeyedStream.connect; not for user code. */
  constructor(
    graph: StreamGraph,
    first: Transformation,
    second: Transformation,
    private readonly keySelector1: KeySelector,
    private readonly keySelector2: KeySelector,
  ) {
    super(graph, first, second);
  }

  /** map() and flatMap() functions get keyed state too (getRuntimeContext().getState() in open()). */
  protected override inputKeys(): (runtime: OperatorRuntime) => InputKeys {
    const { keySelector1, keySelector2 } = this;
    return (runtime) => new InputKeys(runtime, keySelector1, keySelector2);
  }

  /**
   * processElement1 / processElement2 with the record's key current: keyed state (shared by both
   * inputs), `ctx.getCurrentKey()`, timers through `ctx.timerService()` firing onTimer, side outputs.
   */
  override process<R>(fn: KeyedCoProcessFunctionLike<K, A, B, R>): DataStream<R> {
    const { keySelector1, keySelector2 } = this;
    return this.declare<R>(KEYED_CO_PROCESS_KIND, 'Keyed Co-Process', (operator) => {
      const factory = userFunctionFactory<KeyedCoProcessFunction<K, A, B, R>>(fn, ['processElement1', 'processElement2'], operator);
      return (runtime, output) => new KeyedCoProcessOperator<K, A, B, R>(runtime, factory, keySelector1, keySelector2, output as Output<R>);
    });
  }
}
