// Records per second from two readings of a growing count, for when the REST API sends counts only:
// the console polls every second and differences what it saw.

interface Reading {
  readonly value: number;
  readonly at: number;
}

export class RateTracker {
  private readonly last = new Map<string, Reading>();
  private readonly rates = new Map<string, number>();

  /**
   * Records `value` of `key` read at `at` (ms) and returns the rate since the previous reading, or
   * the last rate when no time passed; null before a second reading and for an unknown value. A
   * count that went down (a restart began again) starts over.
   */
  update(key: string, value: number | null, at: number): number | null {
    if (value === null || !Number.isFinite(value)) return null;
    const previous = this.last.get(key);
    if (previous && at <= previous.at) return this.rates.get(key) ?? null;
    this.last.set(key, { value, at });
    if (!previous || value < previous.value) {
      this.rates.delete(key);
      return null;
    }
    const rate = ((value - previous.value) * 1000) / (at - previous.at);
    this.rates.set(key, rate);
    return rate;
  }

  /** Forgets keys not in `keep` (vertices of a job no longer shown). */
  retain(keep: ReadonlySet<string>): void {
    for (const key of [...this.last.keys()]) {
      if (!keep.has(key)) {
        this.last.delete(key);
        this.rates.delete(key);
      }
    }
  }
}
