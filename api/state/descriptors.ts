// State descriptors (Flink's StateDescriptor family): a state's name, kind and the functions that
// combine its values. A name is unique per operator: asking twice for one name gives the same state,
// and asking for it with another kind fails. Descriptors are plain and reusable across subtasks.
import { WeirError } from '../../messages/errors.ts';
import type { AggregateFunction, ReduceFunction } from '../functions.ts';
import type { AggregatingState, ListState, MapState, ReducingState, State, ValueState } from './state.ts';
import type { StateTtlConfig } from './ttl-config.ts';

export type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';

export abstract class StateDescriptor<S extends State> {
  abstract readonly kind: StateKind;
  /** Set by enableTimeToLive. */
  ttlConfig: StateTtlConfig | undefined = undefined;
  /** Never set: carries the state type. */
  declare readonly __state?: S;

  constructor(readonly name: string) {
    if (typeof name !== 'string' || name === '') throw new WeirError('INVALID_ARGUMENT', `a state descriptor needs a non-empty name; got ${JSON.stringify(name)}`);
  }

  enableTimeToLive(config: StateTtlConfig): void {
    this.ttlConfig = config;
  }
}

export class ValueStateDescriptor<T> extends StateDescriptor<ValueState<T>> {
  readonly kind = 'value';
}

export class ListStateDescriptor<T> extends StateDescriptor<ListState<T>> {
  readonly kind = 'list';
  /** Never set: carries the element type. */
  declare readonly __element?: T;
}

export class MapStateDescriptor<UK, UV> extends StateDescriptor<MapState<UK, UV>> {
  readonly kind = 'map';
  /** Never set: carry the key and value types. */
  declare readonly __key?: UK;
  declare readonly __value?: UV;
}

export class ReducingStateDescriptor<T> extends StateDescriptor<ReducingState<T>> {
  readonly kind = 'reducing';
  readonly reduceFunction: ReduceFunction<T>;

  constructor(name: string, reduceFunction: ((accumulated: T, value: T) => T) | ReduceFunction<T>) {
    super(name);
    this.reduceFunction = typeof reduceFunction === 'function' ? { reduce: reduceFunction } : reduceFunction;
    if (typeof this.reduceFunction?.reduce !== 'function') throw new WeirError('INVALID_FUNCTION', `ReducingStateDescriptor "${name}" needs a reduce function`);
  }
}

export class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor<AggregatingState<IN, OUT>> {
  readonly kind = 'aggregating';

  constructor(
    name: string,
    readonly aggregateFunction: AggregateFunction<IN, ACC, OUT>,
  ) {
    super(name);
    for (const method of ['createAccumulator', 'add', 'getResult', 'merge'] as const) {
      if (typeof aggregateFunction?.[method] !== 'function') throw new WeirError('INVALID_FUNCTION', `AggregatingStateDescriptor "${name}" needs an AggregateFunction with ${method}()`);
    }
  }
}
