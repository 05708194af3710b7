// A restore at another parallelism (Flink's StateAssignmentOperation, on the task side): one subtask
// of the new parallelism builds its SubtaskSnapshot from the old subtasks' snapshots.
// - Keyed state and timers move by whole key groups: the subtask takes, from every old subtask whose
//   key-group range overlaps its own, the groups of its range (key-groups.ts: the ranges the hash
//   partitioner routes by).
// - Operator list state is split evenly, union list state goes to every subtask, broadcast state one
//   copy each (operator-state-redistribution.ts).
// - A source reader takes the positions of the splits the JobManager handed it (`splits`, from the
//   old readers' received splits): nothing is read twice, nothing skipped.
// - An operator's `extra` moves as its kind says (rescale-extras.ts).
// The files whose key groups it takes are read first; the others only when what was read holds
// operator state or a source position (every subtask of an operator registers the same operator
// states, so one file tells), so a keyed-only vertex reads no file it takes nothing from.
import { WeirError } from '../../../messages/errors.ts';
import { redistributeOperatorState } from '../../state/operator-state-redistribution.ts';
import type { OperatorStateSnapshot } from '../../state/operator-state.ts';
import { type KeyGroupRange, keyGroupRangeFor, operatorIndexForKeyGroup } from '../key-groups.ts';
import { extraMergeOf } from './rescale-extras.ts';
import type { OperatorKeyGroupSnapshot, OperatorSnapshot, SourceSnapshot, SplitPosition, SubtaskSnapshot } from './snapshot.ts';

/** The subtask a rescaled restore is for. */
export interface RescaleTarget {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** Its key groups: keyGroupRangeFor(subtaskIndex, maxParallelism, parallelism). */
  readonly keyGroups: KeyGroupRange;
  /** A source subtask: the splits (InputSplit.index) it takes over from the old readers, in reading order. */
  readonly splits?: readonly number[];
  /** The kind of each operator of its chain, by operator id: how an operator's `extra` moves. */
  readonly operatorKinds: Readonly<Record<string, string>>;
}

const NO_OPERATOR_STATE: OperatorStateSnapshot = { lists: {}, broadcast: {} };

/**
 * Reads what the subtask needs of the old subtasks' files (`files[k]`: old subtask k's, null when it
 * had no state; `files.length` is the old parallelism) and merges it; undefined when none has state.
 */
export async function readRescaledState(files: readonly (string | null)[], target: RescaleTarget, read: (path: string) => Promise<SubtaskSnapshot>): Promise<SubtaskSnapshot | undefined> {
  const overlapping = new Set(overlappingSubtasks(files.length, target));
  const old: (SubtaskSnapshot | undefined)[] = new Array(files.length).fill(undefined);
  for (const index of overlapping) {
    const path = files[index];
    if (path !== null) old[index] = await read(path);
  }
  if (old.some((snapshot) => snapshot !== undefined && needsEveryOldSubtask(snapshot))) {
    for (let index = 0; index < files.length; index++) {
      const path = files[index];
      // Only its operator state and source position are taken: its key groups are dropped at once.
      if (path !== null && !overlapping.has(index)) old[index] = withoutKeyGroups(await read(path));
    }
  }
  return old.some((snapshot) => snapshot !== undefined) ? mergeRescaledSnapshots(old, target) : undefined;
}

/** The old subtasks (of `oldParallelism`) whose key-group ranges overlap the target's. */
export function overlappingSubtasks(oldParallelism: number, target: RescaleTarget): number[] {
  const { keyGroups, maxParallelism } = target;
  const first = operatorIndexForKeyGroup(keyGroups.start, maxParallelism, oldParallelism);
  const last = operatorIndexForKeyGroup(keyGroups.end, maxParallelism, oldParallelism);
  return Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
}

/**
 * The target's snapshot from the old subtasks' (`old[k]`: old subtask k's; undefined when it had no
 * state or was not needed, see readRescaledState).
 */
export function mergeRescaledSnapshots(old: readonly (SubtaskSnapshot | undefined)[], target: RescaleTarget): SubtaskSnapshot {
  const { subtaskIndex, parallelism, maxParallelism, keyGroups } = target;
  const expected = keyGroupRangeFor(subtaskIndex, maxParallelism, parallelism);
  if (expected.start !== keyGroups.start || expected.end !== keyGroups.end) {
    throw new WeirError(
      'STATE_RESTORE_FAILED',
      `subtask ${subtaskIndex} of ${parallelism} owns key groups ${expected.start}..${expected.end} of ${maxParallelism}, but its restore names ${keyGroups.start}..${keyGroups.end}`,
    );
  }
  const present = old.filter((snapshot): snapshot is SubtaskSnapshot => snapshot !== undefined);
  if (present.length === 0) throw new WeirError('STATE_RESTORE_FAILED', `subtask ${subtaskIndex} of ${parallelism}: a rescaled restore needs the snapshot of 1 or more old subtasks`);
  // Dropping an unaligned checkpoint's in-flight data would lose records: refused, as Flink did before it redistributed channel state.
  const inFlight = old.findIndex((snapshot) => snapshot?.inFlight !== undefined);
  if (inFlight >= 0) {
    throw new WeirError('STATE_RESTORE_FAILED', `subtask ${subtaskIndex} of ${parallelism}: old subtask ${inFlight} was checkpointed unaligned, with data in flight, which cannot move to another parallelism; restore from a savepoint (always aligned) or at parallelism ${old.length}`);
  }
  const overlapping = overlappingSubtasks(old.length, target);
  const positions = takeSplitPositions(old, target);
  // The old subtasks it takes state from: their watermarks bound the ones it resumes at.
  const givers = [...new Set([...overlapping, ...(positions?.givers ?? [])])];
  const operators: Record<string, OperatorSnapshot> = {};
  for (const id of new Set(present.flatMap((snapshot) => Object.keys(snapshot.operators)))) {
    operators[id] = mergeOperator(id, old, overlapping, givers, target);
  }
  const checkpointId = present[0].checkpointId;
  if (positions === undefined) return { checkpointId, operators };
  const watermark = minimumWatermark(givers.map((index) => old[index]?.source?.watermark));
  const source: SourceSnapshot = { splitsReceived: positions.splitsReceived, splits: positions.splits, ...(watermark === undefined ? {} : { watermark }) };
  return { checkpointId, operators, source };
}

/**
 * The minimum: a watermark promises that no earlier record comes, and the merged subtask can only
 * promise what each of its old subtasks did (more would make late what one of them still took).
 * Aligned barriers follow the same watermarks on every channel, so the old values are usually equal.
 */
function minimumWatermark(watermarks: readonly (number | undefined)[]): number | undefined {
  const known = watermarks.filter((watermark) => typeof watermark === 'number');
  return known.length > 0 ? Math.min(...known) : undefined;
}

function mergeOperator(id: string, old: readonly (SubtaskSnapshot | undefined)[], overlapping: readonly number[], givers: readonly number[], target: RescaleTarget): OperatorSnapshot {
  const parts = old.map((snapshot) => snapshot?.operators[id]);
  const { start, end } = target.keyGroups;
  const merged: { keyGroups?: OperatorKeyGroupSnapshot[]; operatorState?: OperatorStateSnapshot; watermark?: number; extra?: unknown } = {};

  const keyed = overlapping.map((index) => parts[index]?.keyGroups).filter((groups) => groups !== undefined);
  if (keyed.length > 0) merged.keyGroups = keyed.flatMap((groups) => groups.filter(({ keyGroup }) => keyGroup >= start && keyGroup <= end));

  if (parts.some((part) => part?.operatorState !== undefined)) {
    merged.operatorState = redistributeOperatorState(
      parts.map((part) => part?.operatorState ?? NO_OPERATOR_STATE),
      target.parallelism,
    )[target.subtaskIndex];
  }

  const watermark = minimumWatermark(givers.map((index) => parts[index]?.watermark));
  if (watermark !== undefined) merged.watermark = watermark;

  const operator = `operator "${id}"`;
  const how = extraMergeOf(target.operatorKinds[id]);
  if (how.kind === 'keyed') {
    const extras = overlapping.map((index) => parts[index]?.extra).filter((extra) => extra !== undefined);
    if (extras.length > 0) merged.extra = how.merge(extras, target.keyGroups, operator);
  } else {
    const extras = parts.filter((part, index) => part?.extra !== undefined && heirOf(index, old.length, target) === target.subtaskIndex).map((part) => part?.extra);
    if (extras.length > 0) merged.extra = how.merge(extras, operator);
  }
  return merged;
}

/**
 * The one new subtask that takes old subtask `index`'s handed-over work: the owner of its first key
 * group, which always overlaps it (so its file is one read anyway).
 */
function heirOf(index: number, oldParallelism: number, { maxParallelism, parallelism }: RescaleTarget): number {
  return operatorIndexForKeyGroup(keyGroupRangeFor(index, maxParallelism, oldParallelism).start, maxParallelism, parallelism);
}

/** The positions of the unfinished splits the reader was handed, as the old readers left them, and which old subtasks gave them. */
function takeSplitPositions(old: readonly (SubtaskSnapshot | undefined)[], target: RescaleTarget): { splitsReceived: number; splits: SplitPosition[]; givers: number[] } | undefined {
  if (!old.some((snapshot) => snapshot?.source !== undefined)) return undefined;
  const label = `subtask ${target.subtaskIndex} of ${target.parallelism}`;
  if (target.splits === undefined) throw new WeirError('STATE_RESTORE_FAILED', `${label}: the old subtasks' snapshots hold source positions, but its restore names no splits to take over`);
  const owned = new Set<number | string>(target.splits);
  const positions = new Map<number | string, SplitPosition>();
  const givers: number[] = [];
  old.forEach((snapshot, index) => {
    const source = snapshot?.source;
    if (source === undefined) return;
    if (source.extra !== undefined) throw new WeirError('STATE_RESTORE_FAILED', `${label}: the source reader of old subtask ${index} keeps state beyond its splits, which cannot move to another parallelism`);
    const taken = source.splits.filter((position) => owned.has(position.split));
    for (const position of taken) positions.set(position.split, position);
    if (taken.length > 0) givers.push(index);
  });
  // Received counts every split handed over, finished ones too: the JobManager counts them the same way.
  return { splitsReceived: target.splits.length, splits: target.splits.flatMap((split) => positions.get(split) ?? []), givers };
}

/** Whether the snapshot holds what every new subtask may take a part of: operator state, a source position. */
function needsEveryOldSubtask(snapshot: SubtaskSnapshot): boolean {
  if (snapshot.source !== undefined) return true;
  return Object.values(snapshot.operators).some(({ operatorState }) => operatorState !== undefined && (Object.keys(operatorState.lists).length > 0 || Object.keys(operatorState.broadcast).length > 0));
}

function withoutKeyGroups(snapshot: SubtaskSnapshot): SubtaskSnapshot {
  const operators: Record<string, OperatorSnapshot> = {};
  for (const [id, { keyGroups: _, ...rest }] of Object.entries(snapshot.operators)) operators[id] = rest;
  return { ...snapshot, operators };
}
