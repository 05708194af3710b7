// Window and keyed-state benchmark (issue 8, "Performance"). Prints ONE JSON line:
//   {"bench":"windows","embeddedEventsPerSec","loopEventsPerSec","ratioToLoop","clusterEventsPerSec","stateOpsPerSec","heapBytesPerKey",...}
// - embedded: bench/jobs/windows-job.ts 'window' (1 s keyed tumbling event-time windows, 10,000 keys,
//   count + sum) on a MiniCluster at parallelism 1, against a hand-written loop doing the same
//   (assign each event to its window, per-key count + sum, emit every key's result when the
//   ascending timestamps leave a window) on the same events, in this run.
// - cluster: the same job on a standalone cluster (a JobManager, two TaskManagers pinned to a core
//   each) at parallelism 2: source -> keyBy over the network.
// - stateOpsPerSec: the 'state' job (a KeyedProcessFunction doing value() + update() per record)
//   embedded at parallelism 1: records/s through the function, one read-modify-write each.
// - heapBytesPerKey: 1,000,000 number keys of ValueState<number> in the heap backend (bench/state.ts).
// - metricsOverheadRatio: the embedded window job with metrics collection on and off, in pairs
//   (bench/metrics-overhead.ts): the share of throughput metrics cost.
// Medians of REPEATS runs after a warm-up. Nothing here asserts a speed.
//   npx tsx bench/windows.ts           BENCH_SCALE=0.2 for a quick look; BENCH_ONLY=embedded,metrics,cluster,state
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobModule } from '../api/index.ts';
import { HeapKeyedStateBackend } from '../api/state/heap-keyed-state.ts';
import { VOID_NAMESPACE } from '../api/state/keyed-state-backend.ts';
import { MiniCluster } from '../cluster/minicluster.ts';
import windowsJob, { type Tally, WINDOW_MS, eventOf } from './jobs/windows-job.ts';
import { ROOT, killChildren, startStandaloneCluster, withTimeout } from './wordcount-processes.ts';
import { METRICS_OVERHEAD_TARGET, measureMetricsOverhead } from './metrics-overhead.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPEATS = 3;
const KEYS = 10_000;
const EMBEDDED_EVENTS = Math.round(2_000_000 * SCALE);
const CLUSTER_EVENTS = Math.round(6_000_000 * SCALE);
const STATE_EVENTS = Math.round(3_000_000 * SCALE);
const HEAP_KEYS = 1_000_000;
const JOB_TIMEOUT_MS = 180_000;
const PARTS = new Set((process.env.BENCH_ONLY ?? 'embedded,metrics,cluster,state,heap').split(','));
const TARGETS = { ratioToLoop: 0.5, clusterEventsPerSec: 1e6, stateOpsPerSec: 5e6, heapBytesPerKey: 150, metricsOverheadRatio: METRICS_OVERHEAD_TARGET } as const;
const WINDOWS_JOB = join(ROOT, 'bench/jobs/windows-job.ts');

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
const round = (value: number): number => Math.round(value);

const workDir = mkdtempSync(join(tmpdir(), 'weir-bench-windows-'));
let outputs = 0;
function outputDirectory(): string {
  const directory = join(workDir, `out-${outputs++}`);
  mkdirSync(directory);
  return directory;
}

/** The sinks' tallies add up: every event counted once (window: counts; state: one output per 1,000 updates). */
function checkTallies(directory: string, events: number, kind: 'window' | 'state'): void {
  const tallies = readdirSync(directory).map((file) => JSON.parse(readFileSync(join(directory, file), 'utf8')) as Tally);
  const counted = tallies.reduce((sum, tally) => sum + tally.countSum, 0);
  const expected = kind === 'window' ? events : Math.floor(events / KEYS / 1_000) * 1_000 * KEYS;
  if (counted !== expected) throw new Error(`the ${kind} job counted ${counted}, not ${expected}`);
}

/** The hand-written loop: per key count + sum of the current window, emitted when time leaves it. */
function windowLoop(events: number): number {
  const counts = new Map<number, [number, number]>();
  let windowEnd = WINDOW_MS;
  let emitted = 0;
  let total = 0;
  const emit = (): void => {
    for (const [, accumulator] of counts) {
      emitted++;
      total += accumulator[0];
    }
    counts.clear();
  };
  for (let index = 0; index < events; index++) {
    const [key, timestamp, value] = eventOf(index, KEYS);
    if (timestamp >= windowEnd) {
      emit();
      windowEnd = (Math.floor(timestamp / WINDOW_MS) + 1) * WINDOW_MS;
    }
    const accumulator = counts.get(key);
    if (accumulator === undefined) counts.set(key, [1, value]);
    else {
      accumulator[0]++;
      accumulator[1] += value;
    }
  }
  emit();
  if (total !== events || emitted === 0) throw new Error(`the loop counted ${total} of ${events}`);
  return events;
}

interface Submit {
  (kind: 'window' | 'state', events: number, parallelism: number): Promise<number>;
}

function embedded(cluster: MiniCluster): Submit {
  return async (kind, events, parallelism) => {
    const directory = outputDirectory();
    const start = performance.now();
    const handle = await cluster.submit(windowsJob as JobModule, { parallelism, args: [kind, String(events), String(KEYS), directory] });
    const result = await withTimeout(handle.result(), `the ${kind} job`, JOB_TIMEOUT_MS);
    if (result.status !== 'FINISHED') throw new Error(`the ${kind} job ended ${result.status}`);
    const seconds = (performance.now() - start) / 1000;
    checkTallies(directory, events, kind);
    return events / seconds;
  };
}

async function runs(submit: Submit, kind: 'window' | 'state', events: number, parallelism: number): Promise<number> {
  const rates: number[] = [];
  for (let run = 0; run <= REPEATS; run++) {
    const rate = await submit(kind, run === 0 ? Math.min(events, 500_000) : events, parallelism);
    if (run > 0) rates.push(rate);
  }
  return median(rates);
}

function heapBytesPerKey(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return Number.NaN;
  gc();
  const before = process.memoryUsage().heapUsed;
  const backend = new HeapKeyedStateBackend<number>({ start: 0, end: 127 }, 128, 'bench');
  const state = backend.valueState<number>('count');
  for (let key = 0; key < HEAP_KEYS; key++) {
    backend.setCurrentKey(key);
    state.update(key);
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  if ([...backend.getKeys("count", VOID_NAMESPACE)].length !== HEAP_KEYS) throw new Error("keys lost");
  return (after - before) / HEAP_KEYS;
}

const result: Record<string, unknown> = { bench: 'windows', keys: KEYS, windowMs: WINDOW_MS };
try {
  await withTimeout(
    (async () => {
      if (PARTS.has('embedded') || PARTS.has('state') || PARTS.has('metrics')) {
        const mini = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 2, log: { level: 'error' } });
        try {
          if (PARTS.has('embedded')) {
            const loops: number[] = [];
            for (let run = 0; run <= REPEATS; run++) {
              const start = performance.now();
              windowLoop(EMBEDDED_EVENTS);
              if (run > 0) loops.push(EMBEDDED_EVENTS / ((performance.now() - start) / 1000));
            }
            const embeddedRate = await runs(embedded(mini), 'window', EMBEDDED_EVENTS, 1);
            const loopRate = median(loops);
            Object.assign(result, { embeddedEventsPerSec: round(embeddedRate), loopEventsPerSec: round(loopRate), ratioToLoop: Math.round((embeddedRate / loopRate) * 100) / 100 });
          }
          if (PARTS.has('metrics')) {
            const overhead = await measureMetricsOverhead(async () => {
              await embedded(mini)('window', EMBEDDED_EVENTS, 1);
              return EMBEDDED_EVENTS;
            });
            const { metricsOverheadRatio, ...runs } = overhead;
            result.metricsOverheadRatio = metricsOverheadRatio;
            result.metricsOverhead = { job: 'embedded windows, parallelism 1', figure: 'events per CPU second', ...runs };
          }
          if (PARTS.has('state')) result.stateOpsPerSec = round(await runs(embedded(mini), 'state', STATE_EVENTS, 1));
        } finally {
          await mini.close();
        }
      }
      if (PARTS.has('cluster')) {
        const cluster = await startStandaloneCluster(workDir);
        try {
          const submit: Submit = async (kind, events, parallelism) => {
            const directory = outputDirectory();
            const start = performance.now();
            const handle = await cluster.client.submit(WINDOWS_JOB, { parallelism, args: [kind, String(events), String(KEYS), directory] });
            const done = await withTimeout(handle.result(), `the cluster ${kind} job`, JOB_TIMEOUT_MS);
            if (done.status !== 'FINISHED') throw new Error(`the cluster ${kind} job ended ${done.status}`);
            const seconds = (performance.now() - start) / 1000;
            checkTallies(directory, events, kind);
            return events / seconds;
          };
          result.clusterEventsPerSec = round(await runs(submit, 'window', CLUSTER_EVENTS, 2));
          result.clusterPlacement = cluster.placement;
        } finally {
          await cluster.stop();
        }
      }
      if (PARTS.has('heap')) result.heapBytesPerKey = Math.round(heapBytesPerKey() * 10) / 10;
    })(),
    'the windows benchmark',
    900_000,
  );
} finally {
  killChildren();
  rmSync(workDir, { recursive: true, force: true });
}
result.targets = TARGETS;
result.load = loadavg().map((value) => Math.round(value * 100) / 100);
console.log(JSON.stringify(result));
