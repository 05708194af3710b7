// Shared by the state specs: a backend over some key groups, and a processing-time clock the spec moves.
import type { AggregateFunction } from '../../../api/functions.ts';
import { keyGroupRangeFor } from '../../../api/runtime/key-groups.ts';
import { HeapKeyedStateBackend } from '../../../api/state/heap-keyed-state.ts';
import type { StateDescriptor } from '../../../api/state/descriptors.ts';
import type { InternalMergingState } from '../../../api/state/keyed-state-backend.ts';
import type { State } from '../../../api/state/state.ts';
import { StateTtlConfig, type StateTtlConfigBuilder } from '../../../api/state/ttl-config.ts';

export const OPERATOR = 'operator "Counts" (id "counts-1")';
export const MAX_PARALLELISM = 128;

/** A processing-time clock that only moves when the spec says so. */
export class ManualClock {
  time = 1_000;
  readonly now = (): number => this.time;

  advance(ms: number): void {
    this.time += ms;
  }
}

/** The backend of subtask `index` of `parallelism` (every key group by default). */
export function backendOf<K extends string | number = string>(index = 0, parallelism = 1, clock?: ManualClock): HeapKeyedStateBackend<K> {
  return new HeapKeyedStateBackend<K>(keyGroupRangeFor(index, MAX_PARALLELISM, parallelism), MAX_PARALLELISM, OPERATOR, clock && { clock: clock.now });
}

/** A state as a window operator uses it: getOrCreateKeyedState's type does not say it can merge. */
export function merging<S>(state: S): S & InternalMergingState {
  return state as S & InternalMergingState;
}

/** The average of the numbers added; the accumulator is [sum, count]. */
export const AVERAGE: AggregateFunction<number, [number, number], number> = {
  createAccumulator: () => [0, 0],
  add: (value, accumulator) => [accumulator[0] + value, accumulator[1] + 1],
  getResult: ([sum, count]) => sum / count,
  merge: (a, b) => [a[0] + b[0], a[1] + b[1]],
};

/** The time to live of the TTL specs' states. */
export const TTL_MS = 100;

/** The descriptor with a TTL of TTL_MS, configured by `configure`. */
export function withTtl<D extends StateDescriptor<State>>(descriptor: D, configure: (builder: StateTtlConfigBuilder) => StateTtlConfigBuilder = (builder) => builder): D {
  descriptor.enableTimeToLive(configure(StateTtlConfig.newBuilder(TTL_MS)).build());
  return descriptor;
}

/** A backend on a ManualClock with `descriptor`'s state, key "a" current. */
export function setup<S extends State>(descriptor: StateDescriptor<S>) {
  const clock = new ManualClock();
  const backend = backendOf(0, 1, clock);
  const state = backend.getOrCreateKeyedState(descriptor);
  backend.setCurrentKey('a');
  return { clock, backend, state };
}
