// KeyedStream.process(KeyedProcessFunction) (Flink's KeyedProcessOperator): the record's key is
// current while the function runs, so its keyed state (getRuntimeContext().getState(...) in open())
// reads and writes that key's entries, and ctx.timerService() registers timers for that key. A timer
// fires onTimer with its key current: event-time timers when the watermark reaches them,
// processing-time timers when the task's clock does (as mail between steps). BATCH: no watermarks
// arrive, so every event-time timer fires at the end of input, and so does every processing-time one.
//
// Timestamps: what processElement emits carries its record's timestamp; what an event-time timer's
// onTimer emits carries the timer's; a processing-time timer's output has none (Flink's eraseTimestamp).
import type { KeyedProcessFunction } from '../functions.ts';
import type { KeySelector } from '../graph/transformation.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import type { InspectableKeyedOperator, KeyedInspection } from './keyed-inspection.ts';
import { KeyedProcessRuntime } from './keyed-runtime.ts';
import type { KeyedParts } from './keyed-snapshots.ts';
import { UdfOperator } from './udf-operator.ts';

export const KEYED_PROCESS_KIND = 'keyed-process';

export class KeyedProcessOperator<K extends Key, I, O> extends UdfOperator<I, KeyedProcessFunction<K, I, O>> implements InspectableKeyedOperator {
  private readonly keyed: KeyedProcessRuntime<K, O>;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<KeyedProcessFunction<K, I, O>>,
    private readonly keySelector: KeySelector,
    output: Output<O>,
  ) {
    super(runtime, factory);
    this.keyed = new KeyedProcessRuntime<K, O>(runtime, output, this.udf);
  }

  collect(value: I, timestamp: number | undefined): void {
    const keyed = this.keyed;
    this.tracker.current = this.descriptor;
    keyed.enter(this.keySelector(value), timestamp);
    const returned: unknown = this.udf.processElement(value, keyed.context, keyed.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement', returned);
  }

  /** Timers first (their output precedes the watermark downstream), then the watermark goes on. */
  override processWatermark(watermark: number): void {
    this.keyed.advanceWatermark(watermark);
    super.processWatermark(watermark);
  }

  inspectKeyed(): KeyedInspection {
    return this.keyed.inspect();
  }

  protected override keyedParts(): KeyedParts {
    return this.keyed.parts();
  }

  override async close(): Promise<void> {
    this.keyed.close();
    await super.close();
  }
}
