// A keyed operator's key groups held by one asynchronous snapshot (Flink's HeapSnapshotStrategy over
// CopyOnWriteStateMap, at key-group grain). Taking it costs O(key groups): every group of the range
// is marked held in the backend's guard, nothing is copied. Each group is then captured once, as it
// is at the snapshot: its states' tables and its timers, encoded at once (the copy is the file's
// bytes). The task's first touch of a group captures it right there (key-group-guard.ts); the
// Task's asynchronous part captures the rest a few at a time (captureUntil), then releases.
//
// Threading: none; the operator's task turn (the asynchronous part runs on later turns of the same thread).
import { encodeKeyGroup, type EncodedKeyGroup } from '../runtime/checkpointing/snapshot-codec.ts';
import type { HeldKeyGroups } from '../runtime/checkpointing/snapshot.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { HeapInternalTimerService } from '../runtime/time/heap-timer-service.ts';
import type { HeapKeyedStateBackend } from '../state/heap-keyed-state.ts';
import type { KeyGroupGuard, KeyGroupHolder } from '../state/key-group-guard.ts';

export class HeldOperatorKeyGroups implements HeldKeyGroups, KeyGroupHolder {
  readonly held: Uint8Array;
  /** Per slot, once captured: the encoded group, or null when it held nothing. */
  private readonly groups: (EncodedKeyGroup | null | undefined)[];
  private readonly guard: KeyGroupGuard;
  /** The next slot the asynchronous part captures. */
  private next = 0;
  /** What a capture threw (the first), rethrown by captureUntil. */
  private failure: { readonly error: unknown } | undefined = undefined;
  /** The processing time of the snapshot: TTL states leave out what had expired by then. */
  private readonly now: number;

  constructor(
    private readonly backend: HeapKeyedStateBackend<Key>,
    private readonly timers: HeapInternalTimerService<Key> | null,
  ) {
    const slots = backend.groups;
    this.guard = backend.guard;
    this.now = backend.now();
    this.held = new Uint8Array(slots).fill(1);
    this.groups = new Array<EncodedKeyGroup | null | undefined>(slots);
    timers?.guardWith(this.guard);
    this.guard.hold(this);
  }

  /**
   * The guard's call: group `slot` is about to change (or captureUntil reached it). Often on the
   * task's turn, inside a state access: a value that cannot be encoded fails the snapshot (thrown by
   * captureUntil), not the record being processed.
   */
  capture(slot: number): void {
    const keyGroup = this.backend.range.start + slot;
    try {
      const state = this.backend.captureKeyGroup(keyGroup, this.now);
      let timers = this.timers === null ? null : this.timers.snapshotKeyGroup(keyGroup);
      if (timers !== null && timers.eventTimeTimers.length === 0 && timers.processingTimeTimers.length === 0) timers = null;
      this.groups[slot] = state === null && timers === null ? null : encodeKeyGroup({ keyGroup, state, timers });
    } catch (error) {
      this.failure ??= { error };
    }
  }

  captureUntil(deadline: number): boolean {
    const slots = this.held.length;
    while (this.next < slots && this.failure === undefined) {
      this.guard.capture(this, this.next++);
      if (performance.now() >= deadline) break;
    }
    if (this.failure !== undefined) throw this.failure.error;
    return this.next >= slots;
  }

  captured(): readonly EncodedKeyGroup[] {
    const encoded: EncodedKeyGroup[] = [];
    for (const group of this.groups) if (group !== null && group !== undefined) encoded.push(group);
    return encoded;
  }

  release(): void {
    this.guard.release(this);
  }
}
