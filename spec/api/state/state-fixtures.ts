// Shared by the state specs: a backend over some key groups, and a processing-time clock the spec moves.
import { keyGroupRangeFor } from '../../../api/runtime/key-groups.ts';
import { HeapKeyedStateBackend } from '../../../api/state/heap-keyed-state.ts';

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
