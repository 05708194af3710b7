// How a keyed operator's state goes into a checkpoint and comes back: for every key group of the
// subtask's range, the keyed state backend's entries and the timer service's timers (a group with
// neither is left out), held at the snapshot and captured asynchronously (held-key-groups.ts). A
// restore takes every group of the snapshot that this subtask owns and skips the others, so a
// restore at another parallelism only has to pass the groups of several old subtasks' snapshots
// together.
//
// Threading: none; the operator's task turn only.
import { WeirError } from '../../messages/errors.ts';
import type { HeldKeyGroups, OperatorKeyGroupSnapshot } from '../runtime/checkpointing/snapshot.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { HeapInternalTimerService, TimerKeyGroupSnapshot } from '../runtime/time/heap-timer-service.ts';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import { HeldOperatorKeyGroups } from './held-key-groups.ts';

/** A keyed operator's backend and the timer service whose timers a snapshot writes beside it (null: none). */
export interface KeyedParts {
  readonly backend: HeapKeyedStateBackend<Key>;
  readonly timers: HeapInternalTimerService<Key> | null;
}

/**
 * Every key group of the backend's range, held by the snapshot (copy-on-write, held-key-groups.ts):
 * O(key groups) on the task's turn; the groups that hold state or timers are captured later.
 */
export function holdKeyGroups({ backend, timers }: KeyedParts): HeldKeyGroups {
  return new HeldOperatorKeyGroups(backend, timers);
}

/** Restores the groups this subtask owns (others belong to another subtask of a rescaled job); `operator` names it in errors. */
export function restoreKeyGroups({ backend, timers }: KeyedParts, groups: unknown, operator: string): void {
  if (groups === undefined) return;
  if (!Array.isArray(groups)) throw malformed(operator, 'its keyGroups are not an array');
  const { start, end } = backend.range;
  for (const group of groups as unknown[]) {
    const { keyGroup, state, timers: groupTimers } = (group ?? {}) as Partial<OperatorKeyGroupSnapshot>;
    if (typeof keyGroup !== 'number' || !Number.isInteger(keyGroup)) throw malformed(operator, `a key group entry has no key group number (${String(keyGroup)})`);
    if (keyGroup < start || keyGroup > end) continue;
    if (state !== null && state !== undefined) {
      if (state.keyGroup !== keyGroup) throw malformed(operator, `the state of key group ${keyGroup} says it is key group ${String(state.keyGroup)}`);
      backend.restoreKeyGroup(state);
    }
    if (groupTimers === null || groupTimers === undefined) continue;
    if (timers === null) throw malformed(operator, `key group ${keyGroup} has timers, but the operator keeps none`);
    timers.restoreKeyGroup(checkTimers(groupTimers, keyGroup, operator));
  }
}

/** Timers of one key group of a second timer service (the interval join's right side), as a snapshot's `extra` holds them. */
export function snapshotTimerGroups(timers: HeapInternalTimerService<Key>): TimerKeyGroupSnapshot[] {
  const groups: TimerKeyGroupSnapshot[] = [];
  for (let keyGroup = timers.range.start; keyGroup <= timers.range.end; keyGroup++) {
    const group = timers.snapshotKeyGroup(keyGroup);
    if (group.eventTimeTimers.length > 0 || group.processingTimeTimers.length > 0) groups.push(group);
  }
  return groups;
}

export function restoreTimerGroups(timers: HeapInternalTimerService<Key>, groups: unknown, operator: string): void {
  if (groups === undefined) return;
  if (!Array.isArray(groups)) throw malformed(operator, 'its timer groups are not an array');
  const { start, end } = timers.range;
  for (const group of groups as unknown[]) {
    const keyGroup = (group as Partial<TimerKeyGroupSnapshot> | null)?.keyGroup;
    if (typeof keyGroup !== 'number' || !Number.isInteger(keyGroup)) throw malformed(operator, `a timer group has no key group number (${String(keyGroup)})`);
    if (keyGroup >= start && keyGroup <= end) timers.restoreKeyGroup(checkTimers(group, keyGroup, operator));
  }
}

/** Decoded data: every timer must be [key, namespace, timestamp] before the heap takes it. */
function checkTimers(group: unknown, keyGroup: number, operator: string): TimerKeyGroupSnapshot {
  const { eventTimeTimers, processingTimeTimers } = group as Partial<TimerKeyGroupSnapshot>;
  for (const timers of [eventTimeTimers, processingTimeTimers]) {
    if (!Array.isArray(timers)) throw malformed(operator, `the timers of key group ${keyGroup} are not arrays`);
    for (const timer of timers as unknown[]) {
      const valid = Array.isArray(timer) && timer.length === 3 && (typeof timer[1] === 'string' || typeof timer[1] === 'number') && typeof timer[2] === 'number';
      if (!valid) throw malformed(operator, `a timer of key group ${keyGroup} is not [key, namespace, timestamp]`);
    }
  }
  return { keyGroup, eventTimeTimers: eventTimeTimers as TimerKeyGroupSnapshot['eventTimeTimers'], processingTimeTimers: processingTimeTimers as TimerKeyGroupSnapshot['processingTimeTimers'] };
}

function malformed(operator: string, problem: string): WeirError {
  return new WeirError('STATE_RESTORE_FAILED', `${operator}: cannot restore keyed state: ${problem}`);
}
