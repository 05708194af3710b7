// The asynchronous part of a subtask snapshot (Flink's AsyncCheckpointRunnable): what the synchronous
// part left held (keyed operators' key groups, copy-on-write) is captured a slice at a time on later
// turns, then the snapshot is encoded for its file and everything held is let go. The Task drives it
// (cluster/taskmanager/task-checkpoints.ts); specs and the test harness complete it at once.
//
// Threading: the task's thread, between its turns (a capture reads operator state, so never elsewhere).
import { type EncodableSubtaskSnapshot, decodeKeyGroup, encodeSnapshot } from './snapshot-codec.ts';
import type { HeldKeyGroups, OperatorKeyGroupSnapshot, OperatorSnapshot, TakenOperatorSnapshot, TakenSubtaskSnapshot } from './snapshot.ts';

/** Whether an operator's key groups are still held (not plain data yet). */
export function isHeld(keyGroups: TakenOperatorSnapshot['keyGroups']): keyGroups is HeldKeyGroups {
  return keyGroups !== undefined && !Array.isArray(keyGroups);
}

export class AsyncSnapshotPart {
  private readonly held: HeldKeyGroups[] = [];
  /** The first of `held` not completely captured yet. */
  private next = 0;

  constructor(readonly snapshot: TakenSubtaskSnapshot) {
    for (const operator of Object.values(snapshot.operators)) if (isHeld(operator.keyGroups)) this.held.push(operator.keyGroups);
  }

  get checkpointId(): number {
    return this.snapshot.checkpointId;
  }

  /** Whether anything is held: a snapshot without keyed state has nothing to capture. */
  get holdsKeyGroups(): boolean {
    return this.held.length > 0;
  }

  /** Captures until performance.now() passes `deadline`; true once everything is captured. */
  runUntil(deadline: number): boolean {
    while (this.next < this.held.length) {
      if (!this.held[this.next].captureUntil(deadline)) return false;
      this.next++;
    }
    return true;
  }

  /** Once runUntil returned true: the snapshot as its file holds it. Lets go of everything held. */
  encode(): Uint8Array {
    const operators: Record<string, EncodableSubtaskSnapshot['operators'][string]> = {};
    for (const [id, operator] of Object.entries(this.snapshot.operators)) {
      operators[id] = isHeld(operator.keyGroups) ? { ...operator, keyGroups: operator.keyGroups.captured() } : (operator as OperatorSnapshot);
    }
    this.release();
    return encodeSnapshot({ ...this.snapshot, operators });
  }

  /** Lets go of every key group still held (done, aborted, cancelled). Idempotent. */
  release(): void {
    for (const held of this.held) held.release();
  }
}

/** The whole asynchronous part at once: the file's bytes. */
export function encodeTakenSnapshot(snapshot: TakenSubtaskSnapshot): Uint8Array {
  const part = new AsyncSnapshotPart(snapshot);
  part.runUntil(Number.POSITIVE_INFINITY);
  return part.encode();
}

/** An operator's snapshot as plain data at once (the test harness): its held key groups captured, decoded and let go. */
export function completeOperatorSnapshot(snapshot: TakenOperatorSnapshot, source: string): OperatorSnapshot {
  const held = snapshot.keyGroups;
  if (!isHeld(held)) return snapshot as OperatorSnapshot;
  held.captureUntil(Number.POSITIVE_INFINITY);
  const keyGroups: OperatorKeyGroupSnapshot[] = held.captured().map((group) => decodeKeyGroup(group, source));
  held.release();
  return { ...snapshot, keyGroups };
}
