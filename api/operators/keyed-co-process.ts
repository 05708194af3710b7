// KeyedStream.connect(KeyedStream).process(KeyedCoProcessFunction) (Flink's KeyedCoProcessOperator):
// each input's records are keyed by their own stream's key selector; both inputs are hash-partitioned
// by key group, so records of equal keys meet on one subtask, where one keyed state backend serves
// both inputs. While processElement1 / processElement2 runs, the record's key is current; timers
// registered through ctx.timerService() fire onTimer with their key current (see keyed-runtime.ts
// for the timestamps emitted records carry and for BATCH).
import type { KeyedCoProcessFunction } from '../functions.ts';
import type { KeySelector } from '../graph/transformation.ts';
import type { OperatorRuntime, Output } from '../runtime/chain.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import type { InspectableKeyedOperator, KeyedInspection } from './keyed-inspection.ts';
import { KeyedProcessRuntime } from './keyed-runtime.ts';
import type { KeyedParts } from './keyed-snapshots.ts';
import { TwoInputUdfOperator } from './two-input-udf-operator.ts';

export const KEYED_CO_PROCESS_KIND = 'keyed-co-process';

export class KeyedCoProcessOperator<K extends Key, A, B, R> extends TwoInputUdfOperator<A, B, KeyedCoProcessFunction<K, A, B, R>> implements InspectableKeyedOperator {
  private readonly keyed: KeyedProcessRuntime<K, R>;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<KeyedCoProcessFunction<K, A, B, R>>,
    private readonly keySelector1: KeySelector,
    private readonly keySelector2: KeySelector,
    output: Output<R>,
  ) {
    super(runtime, factory);
    this.keyed = new KeyedProcessRuntime<K, R>(runtime, output, this.udf);
  }

  collect(value: A, timestamp: number | undefined): void {
    const keyed = this.keyed;
    this.tracker.current = this.descriptor;
    keyed.enter(this.keySelector1(value), timestamp);
    const returned: unknown = this.udf.processElement1(value, keyed.context, keyed.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement1', returned);
  }

  collect2(value: B, timestamp: number | undefined): void {
    const keyed = this.keyed;
    this.tracker.current = this.descriptor;
    keyed.enter(this.keySelector2(value), timestamp);
    const returned: unknown = this.udf.processElement2(value, keyed.context, keyed.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement2', returned);
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
