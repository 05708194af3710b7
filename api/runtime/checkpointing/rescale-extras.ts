// How an operator's `extra` (OperatorSnapshot.extra: what only its kind knows) moves in a restore at
// another parallelism. Two ways, by operator kind:
// - keyed: the extra is per key group (the interval join's right-side cleanup timers); a new subtask
//   gathers it from the old subtasks whose key groups it takes, keeping the groups of its range;
// - handed over: the extra is work of one old subtask (an async operator's held records, a
//   two-phase-commit sink's pending and open transactions) that must be done exactly once; each old
//   subtask's goes whole to one new subtask. Where a lower parallelism gives one new subtask several,
//   its kind merges them; a kind without a merge fails the restore rather than drop work.
import { WeirError } from '../../../messages/errors.ts';
import { ASYNC_FILTER_KIND } from '../../operators/async-filter.ts';
import { ASYNC_FLAT_MAP_KIND } from '../../operators/async-flat-map.ts';
import { ASYNC_MAP_KIND } from '../../operators/async-map.ts';
import type { AsyncWaitSnapshot } from '../../operators/async-wait.ts';
import { INTERVAL_JOIN_KIND } from '../../operators/interval-join.ts';
import { type TwoPhaseCommitSnapshot, TWO_PHASE_COMMIT_SINK_KIND } from '../../sinks/two-phase-commit-operator.ts';
import { FILE_SINK_KIND } from '../../sinks/transactional-sink.ts';
import type { KeyGroupRange } from '../key-groups.ts';
import type { TimerKeyGroupSnapshot } from '../time/heap-timer-service.ts';

export type ExtraMerge =
  | { readonly kind: 'keyed'; merge(extras: readonly unknown[], range: KeyGroupRange, operator: string): unknown }
  | { readonly kind: 'handed-over'; merge(extras: readonly unknown[], operator: string): unknown };

const asyncHeldRecords: ExtraMerge = {
  kind: 'handed-over',
  // Each old subtask's held records in its input order, one old subtask after the other.
  merge: (extras) => ({ elements: extras.flatMap((extra) => (extra as Partial<AsyncWaitSnapshot>).elements ?? []) }) satisfies AsyncWaitSnapshot,
};

const transactions: ExtraMerge = {
  kind: 'handed-over',
  // Every pending transaction is committed, oldest checkpoint first; every open one is aborted.
  merge: (extras) => {
    const snapshots = extras as Partial<TwoPhaseCommitSnapshot<unknown>>[];
    const pending = snapshots.flatMap((snapshot) => snapshot.pending ?? []).sort((a, b) => a.checkpointId - b.checkpointId);
    const open = snapshots.flatMap((snapshot) => [snapshot.current, ...(snapshot.otherCurrents ?? [])]).filter((transaction) => transaction !== null && transaction !== undefined);
    return { pending, current: open[0] ?? null, ...(open.length > 1 ? { otherCurrents: open.slice(1) } : {}) } satisfies TwoPhaseCommitSnapshot<unknown>;
  },
};

const intervalJoinTimers: ExtraMerge = {
  kind: 'keyed',
  merge: (extras, { start, end }) => ({
    rightCleanupTimers: extras
      .flatMap((extra) => ((extra as { rightCleanupTimers?: unknown } | undefined)?.rightCleanupTimers ?? []) as TimerKeyGroupSnapshot[])
      .filter(({ keyGroup }) => keyGroup >= start && keyGroup <= end),
  }),
};

const MERGES: Readonly<Record<string, ExtraMerge>> = {
  [ASYNC_MAP_KIND]: asyncHeldRecords,
  [ASYNC_FILTER_KIND]: asyncHeldRecords,
  [ASYNC_FLAT_MAP_KIND]: asyncHeldRecords,
  [TWO_PHASE_COMMIT_SINK_KIND]: transactions,
  [FILE_SINK_KIND]: transactions,
  [INTERVAL_JOIN_KIND]: intervalJoinTimers,
};

/** Handed over, and never merged: one old subtask's extra at most per new subtask. */
const singleOwner: ExtraMerge = {
  kind: 'handed-over',
  merge: (extras, operator) => {
    if (extras.length === 1) return extras[0];
    throw new WeirError('STATE_RESTORE_FAILED', `${operator}: its state of ${extras.length} old subtasks would go to one subtask, and its kind cannot merge them: restore it at a parallelism no lower than before`);
  },
};

/** How the `extra` of an operator of this kind moves (undefined kind: an operator the job lost, allowNonRestoredState). */
export function extraMergeOf(kind: string | undefined): ExtraMerge {
  return (kind !== undefined ? MERGES[kind] : undefined) ?? singleOwner;
}
