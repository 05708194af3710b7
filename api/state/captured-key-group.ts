// One key group of a heap keyed state backend as an asynchronous snapshot captures it: per state,
// its tables as [namespace, Map(key -> snapshot form), namespace, Map, ...]. Where a stored entry is
// its own snapshot form (value, reducing, aggregating and list states without TTL) the Map is the
// live one, so a capture allocates nothing per entry (building [key, namespace, value] triples was
// two thirds of a snapshot's time); the capture encodes it at once, so the live Map is never kept.
// expandCapturedState turns a decoded capture back into the KeyGroupSnapshot a restore reads.
import { WeirError } from '../../messages/errors.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { SnapshotTriple } from './heap-state.ts';
import type { KeyGroupSnapshot, Namespace, StateMeta } from './keyed-state-backend.ts';

/** [namespace, entries, namespace, entries, ...]: the tables of one state in one key group. */
export type CapturedTables = readonly (Namespace | ReadonlyMap<Key, unknown>)[];

/** The states of one key group that hold entries there. */
export interface CapturedKeyGroupState {
  /** Per state name (every name of `tables`): its kind, checked on restore. */
  readonly meta: Readonly<Record<string, StateMeta>>;
  readonly tables: Readonly<Record<string, CapturedTables>>;
}

/** Restored triples of a state nobody asked for yet, as tables. */
export function tablesOfTriples(triples: readonly SnapshotTriple[]): CapturedTables {
  const byNamespace = new Map<Namespace, Map<Key, unknown>>();
  for (const [key, namespace, value] of triples) {
    let entries = byNamespace.get(namespace);
    if (entries === undefined) byNamespace.set(namespace, (entries = new Map()));
    entries.set(key, value);
  }
  const tables: (Namespace | Map<Key, unknown>)[] = [];
  for (const [namespace, entries] of byNamespace) tables.push(namespace, entries);
  return tables;
}

/** A decoded capture as the KeyGroupSnapshot a restore reads; STATE_CORRUPT naming `source` when it is not one. */
export function expandCapturedState(keyGroup: number, captured: unknown, source: string): KeyGroupSnapshot {
  const { meta, tables } = (captured ?? {}) as Partial<CapturedKeyGroupState>;
  if (typeof meta !== 'object' || meta === null || typeof tables !== 'object' || tables === null) throw corrupt(source, keyGroup, 'it has no meta and tables');
  const states: Record<string, SnapshotTriple[]> = {};
  for (const [name, flat] of Object.entries(tables)) {
    if (!Array.isArray(flat) || flat.length % 2 !== 0) throw corrupt(source, keyGroup, `the tables of state "${name}" are not [namespace, entries, ...]`);
    const triples: SnapshotTriple[] = [];
    for (let index = 0; index < flat.length; index += 2) {
      const namespace = flat[index] as unknown;
      const entries = flat[index + 1] as unknown;
      if ((typeof namespace !== 'string' && typeof namespace !== 'number') || !(entries instanceof Map)) {
        throw corrupt(source, keyGroup, `a table of state "${name}" is not a namespace and a Map of entries`);
      }
      for (const [key, value] of entries as Map<Key, unknown>) triples.push([key, namespace, value]);
    }
    states[name] = triples;
  }
  return { keyGroup, states, meta: meta as Record<string, StateMeta> };
}

function corrupt(source: string, keyGroup: number, problem: string): WeirError {
  return new WeirError('STATE_CORRUPT', `${source}: the state of key group ${keyGroup} is not a Weir capture: ${problem}`);
}
