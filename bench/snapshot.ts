// Checkpoint snapshot benchmark (issue 9's target: the synchronous part of a snapshot of 1,000,000
// keys of ValueState <= 20 ms). Prints ONE JSON line; nothing here asserts a speed.
// - syncMs: holdKeyGroups() (api/operators/keyed-snapshots.ts, what a keyed operator's
//   snapshotState() runs on the task's turn: the key groups are held copy-on-write) over one subtask
//   owning all 128 key groups, 1,000,000 number keys of ValueState<number>; median of REPEATS runs
//   after a warm-up.
// - asyncMs / bytes: the asynchronous part the Task runs afterwards in slices (async-snapshot.ts:
//   capturing every group, encoding the file's bytes), median of the same runs, for reference.
// - touchAllMs: after a hold, one write to every key (each group's first write captures it on the
//   task's turn), against plainWriteAllMs, the same writes with nothing held.
//
//   npx tsx bench/snapshot.ts
//   BENCH_SCALE=0.1 npx tsx bench/snapshot.ts
import { holdKeyGroups } from '../api/operators/keyed-snapshots.ts';
import { encodeTakenSnapshot } from '../api/runtime/checkpointing/async-snapshot.ts';
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
const writeAll = (): number => {
  const started = performance.now();
  for (let key = 0; key < KEYS; key++) {
    backend.setCurrentKey(key);
    state.update(key);
  }
  return performance.now() - started;
};
writeAll();

const parts = { backend, timers: null };
const snapshotOnce = (): { syncMs: number; asyncMs: number; bytes: number } => {
  const started = performance.now();
  const keyGroups = holdKeyGroups(parts);
  const syncMs = performance.now() - started;
  const asyncStarted = performance.now();
  const bytes = encodeTakenSnapshot({ checkpointId: 1, operators: { bench: { keyGroups } } }).length;
  return { syncMs, asyncMs: performance.now() - asyncStarted, bytes };
};
snapshotOnce();
const runs = Array.from({ length: REPEATS }, snapshotOnce);

const plainWriteAllMs = median(Array.from({ length: 3 }, writeAll));
const touchAll: number[] = [];
for (let run = 0; run < 3; run++) {
  const keyGroups = holdKeyGroups(parts);
  touchAll.push(writeAll());
  encodeTakenSnapshot({ checkpointId: 1, operators: { bench: { keyGroups } } });
}

const syncTimes = runs.map((run) => run.syncMs);
console.log(
  JSON.stringify({
    bench: 'snapshot',
    keys: KEYS,
    keyGroups: MAX_PARALLELISM,
    syncMs: round(median(syncTimes), 2),
    syncMsRuns: syncTimes.map((time) => round(time, 2)),
    asyncMs: round(median(runs.map((run) => run.asyncMs))),
    bytes: runs[0].bytes,
    touchAllMs: round(median(touchAll)),
    plainWriteAllMs: round(plainWriteAllMs),
    targets: TARGETS,
  }),
);
