// Keyed state benchmark (issue 8's state targets). Prints ONE JSON line; nothing here asserts a speed.
// - stateOpsPerSec: ValueState<number> read-modify-write (setCurrentKey + value() + update()) over
//   10,000 number keys, through the public ValueState object of the heap backend (every key group of
//   maxParallelism 128 on one subtask); median of REPEATS timed runs after a warm-up. A plain Map
//   get + set over the same keys, in the same run, is the baseline.
// - heapBytesPerKey: live-heap growth (after a full GC, before and after) for 1,000,000 number keys
//   of ValueState<number>, divided by 1e6. The keys are small integers and the values counters (no
//   heap numbers); heapBytesPerStringKey is the same with string keys made before the first
//   measurement (the state's own cost; keyStringBytes is what the strings themselves cost).
// - ttlOpsPerSec: the same read-modify-write on a state with a StateTtlConfig, for reference.
//
//   npx tsx bench/state.ts
//   BENCH_SCALE=0.2 npx tsx bench/state.ts
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { keyGroupRangeFor } from '../api/runtime/key-groups.ts';
import { ValueStateDescriptor } from '../api/state/descriptors.ts';
import { HeapKeyedStateBackend } from '../api/state/heap-keyed-state.ts';
import type { ValueState } from '../api/state/state.ts';
import { StateTtlConfig } from '../api/state/ttl-config.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const MAX_PARALLELISM = 128;
const OPS_KEYS = 10_000;
const OPS_PER_RUN = Math.round(20_000_000 * SCALE);
const MEMORY_KEYS = Math.round(1_000_000 * SCALE);
const REPEATS = 5;
const TARGETS = { stateOpsPerSec: 5e6, heapBytesPerKey: 150 } as const;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
const round = (value: number, digits = 0): number => Math.round(value * 10 ** digits) / 10 ** digits;

function liveHeapBytes(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

function newBackend(): HeapKeyedStateBackend<number | string> {
  return new HeapKeyedStateBackend<number | string>(keyGroupRangeFor(0, MAX_PARALLELISM, 1), MAX_PARALLELISM, 'operator "Bench" (id "bench")');
}

/** Read-modify-writes per second over OPS_KEYS number keys. */
function stateOps(backend: HeapKeyedStateBackend<number | string>, state: ValueState<number>): number {
  const started = performance.now();
  for (let op = 0, key = 0; op < OPS_PER_RUN; op++) {
    backend.setCurrentKey(key);
    state.update((state.value() ?? 0) + 1);
    if (++key === OPS_KEYS) key = 0;
  }
  return OPS_PER_RUN / ((performance.now() - started) / 1000);
}

/** The baseline: the same counts in one plain Map. */
function mapOps(map: Map<number, number>): number {
  const started = performance.now();
  for (let op = 0, key = 0; op < OPS_PER_RUN; op++) {
    map.set(key, (map.get(key) ?? 0) + 1);
    if (++key === OPS_KEYS) key = 0;
  }
  return OPS_PER_RUN / ((performance.now() - started) / 1000);
}

function opsFigures(): { state: number; ttl: number; map: number } {
  const backend = newBackend();
  const state = backend.keyedStateStore.getState(new ValueStateDescriptor<number>('count'));
  const ttlDescriptor = new ValueStateDescriptor<number>('count-ttl');
  ttlDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(3_600_000).build());
  const ttlState = backend.keyedStateStore.getState(ttlDescriptor);
  const map = new Map<number, number>();
  const runs = { state: [] as number[], ttl: [] as number[], map: [] as number[] };
  for (let run = 0; run <= REPEATS; run++) {
    const figures = { state: stateOps(backend, state), ttl: stateOps(backend, ttlState), map: mapOps(map) };
    if (run === 0) continue; // warm-up
    runs.state.push(figures.state);
    runs.ttl.push(figures.ttl);
    runs.map.push(figures.map);
  }
  return { state: median(runs.state), ttl: median(runs.ttl), map: median(runs.map) };
}

/** Live-heap bytes per key of a ValueState<number> holding `keys`. */
function bytesPerKey(keys: readonly (number | string)[]): number {
  let backend: HeapKeyedStateBackend<number | string> | undefined = newBackend();
  let state: ValueState<number> | undefined = backend.keyedStateStore.getState(new ValueStateDescriptor<number>('count'));
  const before = liveHeapBytes();
  for (let index = 0; index < keys.length; index++) {
    backend.setCurrentKey(keys[index]);
    state.update(index);
  }
  const after = liveHeapBytes();
  // Keep the state alive up to the second measurement.
  if (state.value() === undefined) throw new Error('the last key has no value');
  backend = undefined;
  state = undefined;
  return (after - before) / keys.length;
}

function memoryFigures(): { numberKeys: number; stringKeys: number; keyStrings: number } {
  const numberKeys = Array.from({ length: MEMORY_KEYS }, (_, index) => index);
  const numberBytes = bytesPerKey(numberKeys);
  const beforeStrings = liveHeapBytes();
  const stringKeys = Array.from({ length: MEMORY_KEYS }, (_, index) => `user-${index}`);
  const keyStrings = (liveHeapBytes() - beforeStrings) / MEMORY_KEYS;
  const stringBytes = bytesPerKey(stringKeys);
  return { numberKeys: numberBytes, stringKeys: stringBytes, keyStrings };
}

const memory = memoryFigures();
const ops = opsFigures();
const result = {
  bench: 'state',
  stateOpsPerSec: round(ops.state),
  heapBytesPerKey: round(memory.numberKeys, 1),
  heapBytesPerStringKey: round(memory.stringKeys, 1),
  keyStringBytes: round(memory.keyStrings, 1),
  ttlOpsPerSec: round(ops.ttl),
  baselines: { mapOpsPerSec: round(ops.map) },
  keys: { ops: OPS_KEYS, memory: MEMORY_KEYS },
  targets: TARGETS,
  met: { stateOpsPerSec: ops.state >= TARGETS.stateOpsPerSec, heapBytesPerKey: memory.numberKeys <= TARGETS.heapBytesPerKey },
};
process.stdout.write(JSON.stringify(result) + '\n');
