// BroadcastConnectedStream<IN1, IN2> (Flink's BroadcastConnectedStream): a stream connected to a
// BroadcastStream, processed by one two-input operator whose input 0 is this stream (partitioned as
// it is) and input 1 the broadcast stream (every record to every subtask). process() takes a
// BroadcastProcessFunction; when this stream is a KeyedStream, connect() returns the keyed variant,
// whose process() takes a KeyedBroadcastProcessFunction (keyed state, timers, applyToKeyedState).
// Unlike Flink, which tells the two by the function's class, Weir tells them by the stream.
import { type AnyMapStateDescriptor, type BroadcastStream } from './broadcast-stream.ts';
import { DataStream } from './data-stream.ts';
import { type OperatorDeclaration, declareOperator } from './declared-operator.ts';
import type { BroadcastProcessFunction, BroadcastProcessFunctionLike, KeyedBroadcastProcessFunction, KeyedBroadcastProcessFunctionLike } from './functions.ts';
import type { StreamGraph } from './graph/stream-graph.ts';
import type { KeySelector, Transformation } from './graph/transformation.ts';
import { BROADCAST_PROCESS_KIND, BroadcastProcessOperator } from './operators/broadcast-process.ts';
import { KEYED_BROADCAST_PROCESS_KIND, KeyedBroadcastProcessOperator } from './operators/keyed-broadcast-process.ts';
import type { Output } from './runtime/chain.ts';
import type { Key } from './runtime/key-groups.ts';
import { userFunctionFactory } from './runtime/user-function.ts';

const BROADCAST_METHODS = ['processElement', 'processBroadcastElement'] as const;

export class BroadcastConnectedStream<IN1, IN2> {
  /** Made by DataStream.connect; not for user code. */
  constructor(
    protected readonly graph: StreamGraph,
    private readonly nonBroadcast: Transformation,
    private readonly broadcastStream: BroadcastStream<IN2>,
  ) {}

  /** processElement for this stream's records (broadcast state read-only), processBroadcastElement for the broadcast stream's. */
  process<OUT>(fn: BroadcastProcessFunctionLike<IN1, IN2, OUT>): DataStream<OUT> {
    const descriptors = this.descriptors;
    return this.declare<OUT>(BROADCAST_PROCESS_KIND, 'Broadcast Process', (operator) => {
      const factory = userFunctionFactory<BroadcastProcessFunction<IN1, IN2, OUT>>(fn, BROADCAST_METHODS, operator);
      return (runtime, output) => new BroadcastProcessOperator(runtime, factory, descriptors, output as Output<OUT>);
    });
  }

  protected get descriptors(): readonly AnyMapStateDescriptor[] {
    return this.broadcastStream.getBroadcastStateDescriptors();
  }

  protected declare<OUT>(kind: string, name: string, factory: OperatorDeclaration['factory']): DataStream<OUT> {
    const config = { broadcastStates: this.descriptors.map((descriptor) => descriptor.name) };
    const declared = declareOperator(this.graph, { role: 'operator', kind, name, config, factory, inputs: [this.nonBroadcast, this.broadcastStream.transformation] });
    return new DataStream<OUT>(this.graph, declared);
  }
}

export class KeyedBroadcastConnectedStream<K extends Key, IN1, IN2> extends BroadcastConnectedStream<IN1, IN2> {
  /** Made by KeyedStream.connect; not for user code. */
  constructor(
    graph: StreamGraph,
    nonBroadcast: Transformation,
    broadcastStream: BroadcastStream<IN2>,
    private readonly keySelector: KeySelector,
  ) {
    super(graph, nonBroadcast, broadcastStream);
  }

  /** Like BroadcastConnectedStream.process, with the key of this stream's records, keyed state and timers. */
  override process<OUT>(fn: KeyedBroadcastProcessFunctionLike<K, IN1, IN2, OUT>): DataStream<OUT> {
    const { descriptors, keySelector } = this;
    return this.declare<OUT>(KEYED_BROADCAST_PROCESS_KIND, 'Keyed Broadcast Process', (operator) => {
      const factory = userFunctionFactory<KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>>(fn, BROADCAST_METHODS, operator);
      return (runtime, output) => new KeyedBroadcastProcessOperator<K, IN1, IN2, OUT>(runtime, factory, descriptors, keySelector, output as Output<OUT>);
    });
  }
}
