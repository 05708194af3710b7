// Checkpoint snapshot benchmark (issue 9's target: the synchronous part of a snapshot of 1,000,000
// keys of ValueState <= 20 ms). Prints ONE JSON line; nothing here asserts a speed.
// - syncMs: snapshotKeyGroups() (api/operators/keyed-snapshots.ts, what a keyed operator's
//   snapshotState() runs on the task's turn) over one subtask owning all 128 key groups, 1,000,000
//   number keys of ValueState<number>; median of REPEATS runs after a warm-up.
// - packMs / bytes: msgpackr's pack() of that snapshot (what the Task does with it afterwards, off
//   the subtask's turn), for reference.
//
//   npx tsx bench/snapshot.ts
//   BENCH_SCALE=0.1 npx tsx bench/snapshot.ts
import { pack } from 'msgpackr';
import { snapshotKeyGroups } from '../api/operators/keyed-snapshots.ts';
import { keyGroupRangeFor, type Key } from '../api/runtime/key-groups.ts';
import { ValueStateDescriptor } from '../api/state/descriptors.ts';
import { HeapKeyedStateBackend } from '../api/state/heap-keyed-state.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const MAX_PARALLELISM = 128;
const KEYS = Math.round(1_000_000 * SCALE);
const REPEATS = 5;
const TARGETS = { syncMs: 20 } as const;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

const backend = new HeapKeyedStateBackend<Key>(keyGroupRangeFor(0, MAX_PARALLELISM, 1), MAX_PARALLELISM, 'operator "Bench" (id "bench")');
const state = backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count'));
for (let key = 0; key < KEYS; key++) {
  backend.setCurrentKey(key);
  state.update(key);
}

const parts = { backend, timers: null };
snapshotKeyGroups(parts);
const times: number[] = [];
let snapshot = snapshotKeyGroups(parts);
for (let run = 0; run < REPEATS; run++) {
  const started = performance.now();
  snapshot = snapshotKeyGroups(parts);
  times.push(performance.now() - started);
}
const packStarted = performance.now();
const bytes = pack({ keyGroups: snapshot }).length;
const packMs = performance.now() - packStarted;

console.log(JSON.stringify({ bench: 'snapshot', keys: KEYS, keyGroups: snapshot.length, syncMs: round(median(times)), syncMsRuns: times.map((time) => round(time)), packMs: round(packMs), bytes, targets: TARGETS }));
