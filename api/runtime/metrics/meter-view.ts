// A rate over the last minute from a running total (Flink's MeterView): samples of the total, at
// most one a second, taken when the owner updates or reads it (a coarse tick, never per event). The
// rate is the growth since the oldest sample within the window, per second.
//
// Threading: none; its owner samples and reads it on its own turn.

/** The span a rate covers (Flink's MeterView default: 60 s). */
export const METER_WINDOW_MS = 60_000;
/** At most one sample this often: a window holds about METER_WINDOW_MS / METER_SAMPLE_MS of them. */
export const METER_SAMPLE_MS = 1_000;
const SLOTS = METER_WINDOW_MS / METER_SAMPLE_MS + 1;

export class MeterView {
  private readonly times = new Float64Array(SLOTS);
  private readonly totals = new Float64Array(SLOTS);
  /** Next slot written. */
  private next = 0;
  private size = 0;

  /** Records the total now, unless a sample was taken less than METER_SAMPLE_MS ago. */
  sample(total: number, now: number): void {
    if (this.size > 0 && now - this.times[(this.next + SLOTS - 1) % SLOTS] < METER_SAMPLE_MS) return;
    this.times[this.next] = now;
    this.totals[this.next] = total;
    this.next = (this.next + 1) % SLOTS;
    if (this.size < SLOTS) this.size++;
  }

  /** Growth per second of `total` since the oldest sample of the last window (or the newest one older, when none is that recent); 0 without one. */
  rate(total: number, now: number): number {
    this.sample(total, now);
    const oldestSlot = (this.next + SLOTS - this.size) % SLOTS;
    let from = -1;
    for (let index = 0; index < this.size; index++) {
      const slot = (oldestSlot + index) % SLOTS;
      from = slot;
      if (now - this.times[slot] <= METER_WINDOW_MS) break;
    }
    if (from < 0) return 0;
    const elapsedMs = now - this.times[from];
    if (elapsedMs <= 0) return 0;
    return Math.max(0, ((total - this.totals[from]) * 1000) / elapsedMs);
  }
}
