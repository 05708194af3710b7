// What the functions of a broadcast connect see (Flink's BaseBroadcastProcessFunction contexts): the
// broadcast side's context gives the declared broadcast states read-write (and, keyed, reaches every
// key's keyed state), the other side's gives them read-only (and, keyed, the key and its timers).
// One context of each kind per operator instance, nothing allocated per record.
import { WeirError } from '../../messages/errors.ts';
import type { AnyMapStateDescriptor } from '../broadcast-stream.ts';
import type { BroadcastContext, KeyedBroadcastContext, KeyedBroadcastOnTimerContext, ReadOnlyBroadcastContext, TimerService } from '../functions.ts';
import type { OperatorRuntime } from '../runtime/chain.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { ProcessingTimeService } from '../runtime/time/timer-service.ts';
import type { MapStateDescriptor, StateDescriptor } from '../state/descriptors.ts';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import { VOID_NAMESPACE } from '../state/keyed-state-backend.ts';
import type { HeapOperatorStateBackend } from '../state/operator-state.ts';
import type { BroadcastState, ReadOnlyBroadcastState, State } from '../state/state.ts';
import { KeyedContext } from './keyed-runtime.ts';
import { SideOutputContext } from './process-context.ts';

/** The broadcast states an operator declared (broadcast(...descriptors)), by name, in both views. */
export class BroadcastStates {
  private readonly readWrite = new Map<string, BroadcastState<unknown, unknown>>();
  private readonly readOnly = new Map<string, ReadOnlyBroadcastState<unknown, unknown>>();

  constructor(
    backend: HeapOperatorStateBackend,
    descriptors: readonly AnyMapStateDescriptor[],
    private readonly operator: string,
  ) {
    for (const descriptor of descriptors) {
      this.readWrite.set(descriptor.name, backend.getBroadcastState(descriptor));
      this.readOnly.set(descriptor.name, backend.getReadOnlyBroadcastState(descriptor));
    }
  }

  readWriteState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    const state = descriptor?.kind === 'map' ? this.readWrite.get(descriptor.name) : undefined;
    if (state === undefined) throw this.undeclared(descriptor);
    return state as BroadcastState<K, V>;
  }

  readOnlyState<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V> {
    const state = descriptor?.kind === 'map' ? this.readOnly.get(descriptor.name) : undefined;
    if (state === undefined) throw this.undeclared(descriptor);
    return state as ReadOnlyBroadcastState<K, V>;
  }

  private undeclared(descriptor: unknown): WeirError {
    const { kind, name } = (typeof descriptor === 'object' && descriptor !== null ? descriptor : {}) as { kind?: unknown; name?: unknown };
    const asked = typeof name === 'string' ? `"${name}"${kind === 'map' ? '' : ` (a ${String(kind)} state descriptor)`}` : String(descriptor);
    const declared = [...this.readWrite.keys()].map((known) => `"${known}"`).join(', ');
    return new WeirError(
      'INVALID_ARGUMENT',
      `${this.operator}: getBroadcastState(${asked}) names no broadcast state of this operator, which has ${declared}: pass its MapStateDescriptor to broadcast(...)`,
    );
  }
}

/** What both sides share: side outputs, the record's timestamp, the clocks. */
abstract class BroadcastContextBase extends SideOutputContext {
  private readonly clock: ProcessingTimeService;

  constructor(
    runtime: OperatorRuntime,
    protected readonly states: BroadcastStates,
    /** The operator's current watermark, read on request. */
    private readonly watermark: () => number,
  ) {
    super(runtime);
    this.clock = runtime.subtask.processingTimeService;
  }

  currentProcessingTime(): number {
    return this.clock.getCurrentProcessingTime();
  }

  currentWatermark(): number {
    return this.watermark();
  }
}

/** processBroadcastElement's context. */
export class ReadWriteBroadcastContext extends BroadcastContextBase implements BroadcastContext {
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    return this.states.readWriteState(descriptor);
  }
}

/** processElement's context. */
export class ReadOnlyContext extends BroadcastContextBase implements ReadOnlyBroadcastContext {
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V> {
    return this.states.readOnlyState(descriptor);
  }
}

/** processBroadcastElement's context on a keyed stream. */
export class KeyedReadWriteBroadcastContext<K extends Key> extends ReadWriteBroadcastContext implements KeyedBroadcastContext<K> {
  constructor(
    runtime: OperatorRuntime,
    states: BroadcastStates,
    watermark: () => number,
    private readonly backend: HeapKeyedStateBackend<K>,
  ) {
    super(runtime, states, watermark);
  }

  applyToKeyedState<S extends State>(descriptor: StateDescriptor<S>, fn: (key: K, state: S) => void): void {
    if (typeof fn !== 'function') throw new WeirError('INVALID_FUNCTION', `${this.backend.operator}: applyToKeyedState() needs a function of (key, state), got ${typeof fn}`);
    const state = this.backend.getOrCreateKeyedState(descriptor);
    state.setCurrentNamespace(VOID_NAMESPACE);
    // The keys first: fn may clear entries, which changes the tables being walked.
    const keys = Array.from(this.backend.getKeys(descriptor.name, VOID_NAMESPACE));
    for (const key of keys) {
      this.backend.setCurrentKey(key);
      fn(key, state);
    }
  }
}

/** processElement's and onTimer's context on a keyed stream: a keyed process context, plus broadcast state read-only. */
export class KeyedReadOnlyContext<K extends Key> extends KeyedContext<K> implements KeyedBroadcastOnTimerContext<K> {
  constructor(
    runtime: OperatorRuntime,
    backend: HeapKeyedStateBackend<K>,
    timers: TimerService,
    private readonly states: BroadcastStates,
  ) {
    super(runtime, backend, timers);
  }

  getBroadcastState<K2, V>(descriptor: MapStateDescriptor<K2, V>): ReadOnlyBroadcastState<K2, V> {
    return this.states.readOnlyState(descriptor);
  }

  currentProcessingTime(): number {
    return this.timerService().currentProcessingTime();
  }

  currentWatermark(): number {
    return this.timerService().currentWatermark();
  }
}
