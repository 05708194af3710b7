// Copy-on-write for asynchronous snapshots (Flink's CopyOnWriteStateMap, at key-group grain). A
// snapshot holds one keyed operator's key groups by reference: holding them costs O(groups), nothing
// is copied. The holder captures each held group later: in the snapshot's asynchronous part, or
// earlier when the task is about to touch the group, whichever comes first. What a capture copies
// is the holder's business (a checkpoint encodes the group: the copy is the file's bytes).
//
// The rule, and why it is safe for values the user mutates in place: every structure of the operator
// (its states' tables, its timer heaps) calls touch(slot) before it changes a group and before it
// hands out an object of it (a value read may be changed in place by the caller: an aggregate's
// accumulator, a list). So a group is captured before anything can change it, a value included,
// and is captured at most once per holder. Reading a primitive needs no capture. Not covered: an
// object kept from before the snapshot and mutated after it without going through the state (the
// heap states already say that such a value is still the key's state).
//
// Release: once a holder is done (written, aborted, cancelled) it lets go; once no holder is left the
// structures drop their guard, and a touch costs nothing again.
//
// Threading: none; the operator's task turn only (an asynchronous part runs on later turns).

/** A snapshot that holds key groups by reference until it captured them. */
export interface KeyGroupHolder {
  /** Per slot (group - range.start): 1 while the group is held and not captured yet. Only the guard clears it. */
  readonly held: Uint8Array;
  /** Copies group `slot` as it is now (called once per held slot, before the group changes). */
  capture(slot: number): void;
}

/** A structure with key groups that asks its guard before a group changes (a state table, a timer heap). */
export interface GuardedStructure {
  /** Set while some holder holds key groups; null otherwise (then nothing is asked). */
  guard: KeyGroupGuard | null;
}

export class KeyGroupGuard {
  private readonly holders: KeyGroupHolder[] = [];
  private readonly structures = new Set<GuardedStructure>();
  /** Per slot: how many holders still wait to capture it (0: the group may change freely). */
  private readonly waiting: Uint16Array;

  constructor(readonly groups: number) {
    this.waiting = new Uint16Array(groups);
  }

  /** Another structure of the operator (a state made later is guarded from then on). */
  watch(structure: GuardedStructure): void {
    this.structures.add(structure);
    structure.guard = this.holders.length > 0 ? this : null;
  }

  /** Holds every group of `holder.held` (set to 1) until captured or released; O(groups). */
  hold(holder: KeyGroupHolder): void {
    const { held } = holder;
    for (let slot = 0; slot < this.groups; slot++) if (held[slot] === 1) this.waiting[slot]++;
    this.holders.push(holder);
    if (this.holders.length === 1) for (const structure of this.structures) structure.guard = this;
  }

  /** Before group `slot` changes or hands out an object: every holder still waiting for it captures it now. */
  touch(slot: number): void {
    if (this.waiting[slot] !== 0) this.captureNow(slot);
  }

  /** Captures group `slot` for every holder waiting for it. */
  private captureNow(slot: number): void {
    for (const holder of this.holders) this.capture(holder, slot);
  }

  /** The holder's own capture (its asynchronous part): captures `slot` unless it already did. */
  capture(holder: KeyGroupHolder, slot: number): void {
    if (holder.held[slot] !== 1) return;
    // Cleared first: a capture reads the group, and must not find itself still waiting.
    holder.held[slot] = 0;
    this.waiting[slot]--;
    holder.capture(slot);
  }

  /** The holder lets go of what it did not capture; the last one leaving unguards the structures. Idempotent. */
  release(holder: KeyGroupHolder): void {
    const index = this.holders.indexOf(holder);
    if (index < 0) return;
    this.holders.splice(index, 1);
    const { held } = holder;
    for (let slot = 0; slot < this.groups; slot++) {
      if (held[slot] === 1) {
        held[slot] = 0;
        this.waiting[slot]--;
      }
    }
    if (this.holders.length === 0) for (const structure of this.structures) structure.guard = null;
  }

  /** Holders not released yet (specs: a finished snapshot leaves none). */
  get holding(): number {
    return this.holders.length;
  }
}
