// keyed.connect(broadcastStream).process(KeyedBroadcastProcessFunction) (Flink's
// CoBroadcastWithKeyedOperator): processElement runs with its record's key current, so keyed state
// (through the runtime context) and ctx.timerService() are that key's, and broadcast state is
// read-only; processBroadcastElement changes broadcast state and reaches keyed state only through
// ctx.applyToKeyedState, which visits every key of this subtask with an entry in the state (the
// current key is otherwise whichever was last: use no keyed state directly there, as in Flink).
// Keyed state, timers and onTimer are those of a keyed process function (keyed-runtime.ts), with a
// context that adds broadcast state.
import type { AnyMapStateDescriptor } from '../broadcast-stream.ts';
import type { KeyedBroadcastProcessFunction } from '../functions.ts';
import type { KeySelector } from '../graph/transformation.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import { KeyedReadOnlyContext, KeyedReadWriteBroadcastContext } from './broadcast-contexts.ts';
import { BroadcastProcessBase } from './broadcast-process-base.ts';
import { KeyedProcessRuntime } from './keyed-runtime.ts';
import type { KeyedParts } from './keyed-snapshots.ts';

export const KEYED_BROADCAST_PROCESS_KIND = 'keyed-broadcast-process';

export class KeyedBroadcastProcessOperator<K extends Key, IN1, IN2, OUT> extends BroadcastProcessBase<IN1, IN2, KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>> {
  private readonly keyed: KeyedProcessRuntime<K, OUT, KeyedReadOnlyContext<K>>;
  private readonly broadcastContext: KeyedReadWriteBroadcastContext<K>;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>>,
    descriptors: readonly AnyMapStateDescriptor[],
    private readonly keySelector: KeySelector,
    output: Output<OUT>,
  ) {
    super(runtime, factory, descriptors);
    const states = this.broadcastStates;
    this.keyed = new KeyedProcessRuntime(runtime, output, this.udf, (backend, timers) => new KeyedReadOnlyContext(runtime, backend, timers, states));
    // The timer service's watermark: the operator's, already advanced while its timers fire.
    const timers = this.keyed.timers;
    this.broadcastContext = new KeyedReadWriteBroadcastContext(runtime, states, () => timers.currentWatermark(), this.keyed.backend);
  }

  protected processElement(value: IN1, timestamp: number | undefined): void {
    const keyed = this.keyed;
    this.tracker.current = this.descriptor;
    keyed.enter(this.keySelector(value), timestamp);
    const returned: unknown = this.udf.processElement(value, keyed.context, keyed.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement', returned);
  }

  protected processBroadcastElement(value: IN2, timestamp: number | undefined): void {
    const collector = this.keyed.collector;
    this.tracker.current = this.descriptor;
    collector.timestamp = timestamp;
    this.broadcastContext.timestampOfRecord = timestamp;
    const returned: unknown = this.udf.processBroadcastElement(value, this.broadcastContext, collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processBroadcastElement', returned);
  }

  /** Timers first (their output precedes the watermark downstream), then the watermark goes on. */
  override processWatermark(watermark: number): void {
    this.keyed.advanceWatermark(watermark);
    super.processWatermark(watermark);
  }

  protected override keyedParts(): KeyedParts {
    return this.keyed.parts();
  }

  override async close(): Promise<void> {
    this.keyed.close();
    await super.close();
  }
}
