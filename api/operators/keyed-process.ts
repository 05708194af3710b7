// KeyedStream.process(KeyedProcessFunction): like process, with the record's key current in the
// context (Flink's KeyedProcessOperator). The key is checked against the subtask's key groups; keyed
// state and timers for the function come in a later version, on the same backend.
import type { KeyedProcessContext, KeyedProcessFunction } from '../functions.ts';
import type { KeySelector } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { type Key, keyGroupRangeFor } from '../runtime/key-groups.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import { OperatorCollector, SideOutputContext } from './process-context.ts';
import { isThenable, promiseInSyncFunction } from './async-completion.ts';
import { UdfOperator } from './udf-operator.ts';

export const KEYED_PROCESS_KIND = 'keyed-process';

class KeyedContext<K extends Key> extends SideOutputContext implements KeyedProcessContext<K> {
  constructor(
    runtime: OperatorRuntime,
    private readonly backend: HeapKeyedStateBackend<K>,
  ) {
    super(runtime);
  }

  getCurrentKey(): K {
    return this.backend.getCurrentKey();
  }
}

export class KeyedProcessOperator<K extends Key, I, O> extends UdfOperator<I, KeyedProcessFunction<K, I, O>> {
  private readonly backend: HeapKeyedStateBackend<K>;
  private readonly context: KeyedContext<K>;
  private readonly collector: OperatorCollector<O>;

  constructor(
    runtime: OperatorRuntime,
    factory: UserFunctionFactory<KeyedProcessFunction<K, I, O>>,
    private readonly keySelector: KeySelector,
    output: Output<O>,
  ) {
    super(runtime, factory);
    const { subtaskIndex, parallelism, maxParallelism } = runtime.subtask;
    this.backend = new HeapKeyedStateBackend<K>(keyGroupRangeFor(subtaskIndex, maxParallelism, parallelism), maxParallelism, describeOperator(this.descriptor));
    this.context = new KeyedContext(runtime, this.backend);
    this.collector = new OperatorCollector(output, this.tracker, this.descriptor);
  }

  collect(value: I, timestamp: number | undefined): void {
    this.tracker.current = this.descriptor;
    this.collector.timestamp = timestamp;
    this.context.timestampOfRecord = timestamp;
    this.backend.setCurrentKey(this.keySelector(value));
    const returned: unknown = this.udf.processElement(value, this.context, this.collector);
    if (returned !== undefined && isThenable(returned)) throw promiseInSyncFunction(this.descriptor, 'processElement', returned);
  }
}
