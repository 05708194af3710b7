// The records both processes of bench/network.ts build: small word-count records of about 19 bytes
// each in a batch with the records extension (BASELINES.md measured 19.5 B/rec).
export interface BenchRecord {
  readonly word: string;
  readonly count: number;
  readonly seq: number;
  readonly shard: number;
}

export function benchRecord(n: number): BenchRecord {
  return { word: `word-${n % 10000}`, count: 1, seq: 100_000 + n, shard: n % 256 };
}
