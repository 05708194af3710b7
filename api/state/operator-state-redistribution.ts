// Redistribution of operator state for a restore at another parallelism (Flink's
// RoundRobinOperatorStateRepartitioner), as a pure function of the old subtasks' snapshots:
// - a list state ('split'): its items, the old subtasks' in subtask order, are cut into contiguous
//   runs, one per new subtask, of floor(total / p) items, the first total % p runs one longer. The
//   longer runs start where the previous state's stopped, so that over many states no subtask always
//   gets the extra item (states are taken in name order; Flink takes them in hash-map order). At the
//   same parallelism each subtask keeps its own items, as Flink does;
// - a union list state: every new subtask gets every item (also at the same parallelism);
// - a broadcast state: new subtask i gets old subtask (i % old parallelism)'s copy; all copies are
//   meant to be equal, so this only spreads the reading, as Flink does.
import { WeirError } from '../../messages/errors.ts';
import type { ListDistribution, OperatorStateSnapshot } from './operator-state.ts';

export function redistributeOperatorState(previous: readonly OperatorStateSnapshot[], newParallelism: number): OperatorStateSnapshot[] {
  if (!Number.isInteger(newParallelism) || newParallelism < 1) throw new WeirError('INVALID_ARGUMENT', `operator state can only be redistributed over 1 or more subtasks; got ${String(newParallelism)}`);
  if (previous.length === 0) throw new WeirError('INVALID_ARGUMENT', 'operator state needs the snapshots of 1 or more subtasks to redistribute');
  const lists = Array.from({ length: newParallelism }, () => ({}) as Record<string, { mode: ListDistribution; items: unknown[] }>);
  const broadcast = Array.from({ length: newParallelism }, () => ({}) as Record<string, readonly (readonly [unknown, unknown])[]>);
  const sameParallelism = newParallelism === previous.length;

  let start = 0;
  for (const [name, mode] of listModes(previous)) {
    const itemsOf = (subtask: OperatorStateSnapshot): readonly unknown[] => subtask.lists[name]?.items ?? [];
    if (mode === 'union') {
      const all = previous.flatMap(itemsOf);
      for (const subtask of lists) subtask[name] = { mode, items: all.slice() };
    } else if (sameParallelism) {
      previous.forEach((subtask, index) => (lists[index][name] = { mode, items: itemsOf(subtask).slice() }));
    } else {
      start = splitEvenly(previous.flatMap(itemsOf), newParallelism, start, (index, items) => (lists[index][name] = { mode, items }));
    }
  }
  for (const name of broadcastNames(previous)) {
    for (let index = 0; index < newParallelism; index++) broadcast[index][name] = (previous[index % previous.length].broadcast[name] ?? []).slice();
  }
  return lists.map((subtaskLists, index) => ({ lists: subtaskLists, broadcast: broadcast[index] }));
}

/**
 * Cuts `items` into `parallelism` contiguous runs, giving the longer runs to the subtasks from
 * `start` on (wrapping around); returns where the next state's longer runs start.
 */
function splitEvenly(items: unknown[], parallelism: number, start: number, assign: (subtask: number, items: unknown[]) => void): number {
  const base = Math.floor(items.length / parallelism);
  let remainder = items.length % parallelism;
  let nextStart = start;
  let offset = 0;
  for (let turn = 0; turn < parallelism; turn++) {
    const subtask = (turn + start) % parallelism;
    let count = base;
    if (remainder > 0) {
      count++;
      remainder--;
    } else if (remainder === 0) {
      nextStart = subtask; // the first subtask without an extra item starts the next round
      remainder--;
    }
    assign(subtask, items.slice(offset, offset + count));
    offset += count;
  }
  return nextStart;
}

/** Every list state's name and mode, names in order; one name with two modes fails. */
function listModes(previous: readonly OperatorStateSnapshot[]): [string, ListDistribution][] {
  const modes = new Map<string, ListDistribution>();
  for (const subtask of previous) {
    for (const [name, { mode }] of Object.entries(subtask.lists)) {
      const known = modes.get(name);
      if (known !== undefined && known !== mode) throw new WeirError('STATE_RESTORE_FAILED', `operator state "${name}" is a ${known} list state in one subtask's snapshot and a ${mode} list state in another's`);
      modes.set(name, mode);
    }
  }
  return [...modes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function broadcastNames(previous: readonly OperatorStateSnapshot[]): string[] {
  return [...new Set(previous.flatMap((subtask) => Object.keys(subtask.broadcast)))].sort();
}
