// What a keyed operator lets the operator test harness (api/testing) read: its keyed state backend
// and its timer services, for Flink's numKeyedStateEntries / numEventTimeTimers /
// numProcessingTimeTimers. Read on request only; nothing on the record path.
import type { ChainOperator } from '../runtime/chain.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';

export interface TimerCounts {
  readonly eventTimeTimerCount: number;
  readonly processingTimeTimerCount: number;
}

export interface KeyedInspection {
  readonly backend: HeapKeyedStateBackend<Key>;
  /** Every timer service of the operator; null when it fires without timers per key (aligned windows). */
  readonly timers: readonly TimerCounts[] | null;
}

export interface InspectableKeyedOperator {
  inspectKeyed(): KeyedInspection;
}

export function isInspectableKeyed(operator: ChainOperator<unknown>): operator is ChainOperator<unknown> & InspectableKeyedOperator {
  return typeof (operator as Partial<InspectableKeyedOperator>).inspectKeyed === 'function';
}
