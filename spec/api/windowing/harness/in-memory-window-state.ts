// Keyed state for one key, in Maps, scoped by namespace: what the window operator's backend gives
// triggers, reduced to what specs need (value, list, reducing and aggregating states, and merging).
import { WeirError } from '../../../../messages/errors.ts';
import type { AggregatingStateDescriptor, ReducingStateDescriptor, StateDescriptor } from '../../../../api/state/descriptors.ts';
import type { Namespace } from '../../../../api/state/keyed-state-backend.ts';
import type { AggregatingState, ListState, ReducingState, State, ValueState } from '../../../../api/state/state.ts';

export class InMemoryWindowState {
  /** The namespace states read and write. */
  current: Namespace = 0;
  /** State name -> namespace -> stored value (an accumulator for aggregating state). */
  private readonly tables = new Map<string, Map<Namespace, unknown>>();
  private readonly states = new Map<string, State>();

  getPartitionedState<S extends State>(descriptor: StateDescriptor<S>): S {
    let state = this.states.get(descriptor.name);
    if (state === undefined) {
      state = this.create(descriptor);
      this.states.set(descriptor.name, state);
    }
    return state as S;
  }

  /** Folds `sources`' entries of the descriptor's state into `target`'s and removes them. */
  merge(descriptor: StateDescriptor<State>, target: Namespace, sources: readonly Namespace[]): void {
    const table = this.table(descriptor.name);
    let merged = table.get(target);
    for (const source of sources) {
      const value = table.get(source);
      table.delete(source);
      if (value === undefined) continue;
      merged = merged === undefined ? value : combine(descriptor, merged, value);
    }
    if (merged !== undefined) table.set(target, merged);
  }

  /** How many entries all states hold, or those under `namespace`. */
  entryCount(namespace?: Namespace): number {
    let count = 0;
    for (const table of this.tables.values()) {
      if (namespace === undefined) count += table.size;
      else if (table.has(namespace)) count++;
    }
    return count;
  }

  private table(name: string): Map<Namespace, unknown> {
    let table = this.tables.get(name);
    if (table === undefined) this.tables.set(name, (table = new Map()));
    return table;
  }

  private create(descriptor: StateDescriptor<State>): State {
    const table = this.table(descriptor.name);
    const read = <V>(): V | undefined => table.get(this.current) as V | undefined;
    const write = (value: unknown): void => void (value === undefined ? table.delete(this.current) : table.set(this.current, value));
    const clear = (): void => void table.delete(this.current);
    switch (descriptor.kind) {
      case 'value':
        return asState<ValueState<unknown>>({ value: read, update: write, clear });
      case 'list':
        return asState<ListState<unknown>>({
          get: () => read<unknown[]>() ?? [],
          add: (value: unknown) => write([...(read<unknown[]>() ?? []), value]),
          addAll: (values: Iterable<unknown>) => write([...(read<unknown[]>() ?? []), ...values]),
          update: (values: Iterable<unknown>) => write([...values].length === 0 ? undefined : [...values]),
          clear,
        });
      case 'reducing': {
        const { reduceFunction } = descriptor as ReducingStateDescriptor<unknown>;
        return asState<ReducingState<unknown>>({
          get: read,
          add: (value: unknown) => {
            const current = read();
            write(current === undefined ? value : reduceFunction.reduce(current, value));
          },
          clear,
        });
      }
      case 'aggregating': {
        const { aggregateFunction } = descriptor as AggregatingStateDescriptor<unknown, unknown, unknown>;
        return asState<AggregatingState<unknown, unknown>>({
          get: () => {
            const accumulator = read();
            return accumulator === undefined ? undefined : aggregateFunction.getResult(accumulator);
          },
          add: (value: unknown) => write(aggregateFunction.add(value, read() ?? aggregateFunction.createAccumulator())),
          clear,
        });
      }
      default:
        throw new Error(`the spec state store has no ${descriptor.kind} state`);
    }
  }
}

/** Checks the state's shape where it is built. */
function asState<S extends State>(state: S): S {
  return state;
}

function combine(descriptor: StateDescriptor<State>, target: unknown, source: unknown): unknown {
  switch (descriptor.kind) {
    case 'list':
      return [...(target as unknown[]), ...(source as unknown[])];
    case 'reducing':
      return (descriptor as ReducingStateDescriptor<unknown>).reduceFunction.reduce(target, source);
    case 'aggregating':
      return (descriptor as AggregatingStateDescriptor<unknown, unknown, unknown>).aggregateFunction.merge(target, source);
    default:
      throw new WeirError('INVALID_ARGUMENT', `state "${descriptor.name}" is a ${descriptor.kind} state, which cannot merge`);
  }
}
