// The RuntimeContext of one operator of one subtask (Flink's StreamingRuntimeContext): what its rich
// function's open() gets. One per operator, not per chain: keyed state belongs to the operator whose
// backend it is, and errors name that operator. A keyed operator binds its backend's store when it is
// built; anywhere else the keyed state methods fail with STATE_NOT_KEYED.
import { WeirError } from '../../messages/errors.ts';
import type { RuntimeContext } from '../functions.ts';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, StateDescriptor, ValueStateDescriptor } from '../state/descriptors.ts';
import type { AggregatingState, KeyedStateStore, ListState, MapState, ReducingState, State, ValueState } from '../state/state.ts';
import { type MetricGroup, SubtaskMetricRegistry } from './metrics/metric-group.ts';
import type { SubtaskContext } from './subtask.ts';

export class OperatorRuntimeContext implements RuntimeContext {
  readonly jobName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attemptNumber: number;
  private keyedStateStore: KeyedStateStore | null = null;
  private readonly metricRegistry: SubtaskMetricRegistry;
  private metricGroup: MetricGroup | null = null;

  constructor(
    subtask: SubtaskContext,
    readonly operatorName: string,
    /** How errors name the operator, e.g. `operator "Alerts" (id "process-2")`. */
    private readonly operator: string,
  ) {
    this.jobName = subtask.jobName;
    this.subtaskIndex = subtask.subtaskIndex;
    this.parallelism = subtask.parallelism;
    this.maxParallelism = subtask.maxParallelism;
    this.attemptNumber = subtask.attemptNumber;
    // Without the Task's registry (a spec's context) the metrics still work; no one reads them.
    this.metricRegistry = subtask.metrics ?? new SubtaskMetricRegistry();
  }

  getMetricGroup(): MetricGroup {
    return (this.metricGroup ??= this.metricRegistry.groupOf(this.operatorName));
  }

  /** Called once by a keyed operator, with its backend's user-facing store. */
  bindKeyedState(store: KeyedStateStore): void {
    this.keyedStateStore = store;
  }

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.store(descriptor, 'getState').getState(descriptor);
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.store(descriptor, 'getListState').getListState(descriptor);
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.store(descriptor, 'getMapState').getMapState(descriptor);
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.store(descriptor, 'getReducingState').getReducingState(descriptor);
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.store(descriptor, 'getAggregatingState').getAggregatingState(descriptor);
  }

  private store(descriptor: StateDescriptor<State>, method: string): KeyedStateStore {
    if (this.keyedStateStore !== null) return this.keyedStateStore;
    const name = typeof descriptor?.name === 'string' ? `"${descriptor.name}"` : 'a state';
    throw new WeirError(
      'STATE_NOT_KEYED',
      `${this.operator}: ${method}(${name}) needs a keyed stream: keyed state belongs to the key of the record being processed, so use it in a function after keyBy()`,
    );
  }
}
