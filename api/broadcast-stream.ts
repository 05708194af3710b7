// BroadcastStream<T> (Flink's BroadcastStream): a stream whose every record reaches every subtask of
// the operator it is connected to, with the broadcast states (MapStateDescriptors) that operator
// keeps. DataStream.broadcast(...descriptors) makes it; `other.connect(broadcastStream).process(fn)`
// uses it (broadcast-connected-stream.ts). It has no operators of its own: connect it.
import { WeirError } from '../messages/errors.ts';
import { describeValue } from './eventtime/describe-value.ts';
import type { Transformation } from './graph/transformation.ts';
import type { MapStateDescriptor } from './state/descriptors.ts';

/** Any MapStateDescriptor, whatever its key and value types (a MapStateDescriptor<string, Rule> is one). */
export type AnyMapStateDescriptor = MapStateDescriptor<unknown, unknown>;

export class BroadcastStream<T> {
  /** Tells a BroadcastStream from a DataStream by shape: a job bundle carries its own copy of the API. */
  readonly kind = 'broadcast-stream';
  /** Never set: carries the record type. */
  declare private readonly __type?: T;

  /** Made by DataStream.broadcast(...descriptors); not for user code. */
  constructor(
    /** The broadcast partitioning of the stream. */
    readonly transformation: Transformation,
    private readonly descriptors: readonly AnyMapStateDescriptor[],
  ) {}

  /** The descriptors given to broadcast(), in order: the broadcast states of the operator it is connected to. */
  getBroadcastStateDescriptors(): readonly AnyMapStateDescriptor[] {
    return this.descriptors;
  }
}

export function isBroadcastStream(value: unknown): value is BroadcastStream<unknown> {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'broadcast-stream';
}

/**
 * Checks broadcast()'s arguments by shape (a descriptor may come from another copy of the API):
 * each a MapStateDescriptor, without time-to-live (broadcast state is operator state, which has none,
 * as in Flink). `step` names the broadcast step for the error.
 */
export function checkBroadcastDescriptors(descriptors: readonly unknown[], step: string): AnyMapStateDescriptor[] {
  return descriptors.map((descriptor, index) => {
    const { kind, name, ttlConfig } = (typeof descriptor === 'object' && descriptor !== null ? descriptor : {}) as Partial<AnyMapStateDescriptor>;
    if (kind !== 'map' || typeof name !== 'string') {
      throw new WeirError('INVALID_ARGUMENT', `${step}: broadcast() takes MapStateDescriptors; argument ${index + 1} is ${describeDescriptor(descriptor, kind, name)}`);
    }
    if (ttlConfig !== undefined) throw new WeirError('INVALID_ARGUMENT', `${step}: broadcast state "${name}" cannot have a time-to-live: it is operator state, which never expires`);
    return descriptor as AnyMapStateDescriptor;
  });
}

function describeDescriptor(descriptor: unknown, kind: unknown, name: unknown): string {
  if (typeof kind === 'string' && typeof name === 'string') return `a ${kind} state descriptor "${name}"`;
  return describeValue(descriptor);
}
