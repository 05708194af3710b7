// What a trigger tells the window operator after each call (Flink's TriggerResult): whether to
// evaluate the window now (fire) and whether to drop its contents (purge). The operator reads the
// flags, not the identity, so a result from another copy of this module works the same.
export class TriggerResult {
  /** Nothing happens to the window. */
  static readonly CONTINUE = new TriggerResult('CONTINUE', false, false);
  /** The window function runs on the contents, which are kept. */
  static readonly FIRE = new TriggerResult('FIRE', true, false);
  /** The contents are dropped without evaluating them (the window's metadata and timers stay). */
  static readonly PURGE = new TriggerResult('PURGE', false, true);
  /** The window function runs, then the contents are dropped. */
  static readonly FIRE_AND_PURGE = new TriggerResult('FIRE_AND_PURGE', true, true);

  private constructor(
    readonly name: 'CONTINUE' | 'FIRE' | 'PURGE' | 'FIRE_AND_PURGE',
    readonly fire: boolean,
    readonly purge: boolean,
  ) {}

  isFire(): boolean {
    return this.fire;
  }

  isPurge(): boolean {
    return this.purge;
  }

  toString(): string {
    return this.name;
  }
}
