// Async I/O benchmark (mapAsync; no target in the issue, figures to watch). Prints ONE JSON line.
// Embedded mini cluster, parallelism 1, sequence source -> operator -> counting sink:
// - map: the synchronous operator, for reference;
// - mapAsync over promises that are already resolved: the operator's own cost per record;
// - mapAsync over calls that take LATENCY_MS each (a timer), at capacities 10 / 100 / 1000, input
//   order and (keyed) key order: how well capacity turns into concurrency. The ceiling is
//   capacity / latency records per second (and the event loop's timer cost);
// - baselines in the same run: a plain loop awaiting the same resolved promises one by one, and
//   Promise.all over windows of `capacity` timer calls.
//
//   npx tsx bench/async.ts
//   BENCH_SCALE=0.2 npx tsx bench/async.ts
import type { JobModule } from '../api/index.ts';
import { MiniCluster } from '../cluster/minicluster.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RESOLVED_RECORDS = Math.round(2_000_000 * SCALE);
const TIMER_RECORDS = Math.round(50_000 * SCALE);
const LATENCY_MS = 1;
const CAPACITIES = [10, 100, 1000] as const;
const JOB_TIMEOUT_MS = 300_000;

const round = (value: number, digits = 0): number => Math.round(value * 10 ** digits) / 10 ** digits;
const later = <T>(value: T): Promise<T> => new Promise((resolve) => setTimeout(resolve, LATENCY_MS, value));

/** Runs one job to its end; its records per second. */
async function timed(cluster: MiniCluster, records: number, job: JobModule): Promise<number> {
  const started = performance.now();
  const handle = await cluster.submit(job, { parallelism: 1 });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`a job did not finish within ${JOB_TIMEOUT_MS} ms`)), JOB_TIMEOUT_MS)));
  const result = await Promise.race([handle.result(), timeout]).finally(() => clearTimeout(timer));
  if (result.status !== 'FINISHED') throw new Error(`the job ended ${result.status}`);
  return round(records / ((performance.now() - started) / 1000));
}

/** Counts what reaches the sink, to check every record arrived. */
function counter(): { sink: (value: unknown) => void; count: () => number } {
  let count = 0;
  return { sink: () => void count++, count: () => count };
}

async function main(): Promise<void> {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  try {
    const check = (what: string, seen: number, expected: number): void => {
      if (seen !== expected) throw new Error(`${what}: the sink got ${seen} records, not ${expected}`);
    };
    const run = async (what: string, records: number, declare: (env: Parameters<JobModule>[0], sink: (value: unknown) => void) => void): Promise<number> => {
      const { sink, count } = counter();
      const rate = await timed(cluster, records, (env) => declare(env, sink));
      check(what, count(), records);
      return rate;
    };
    // Warm-up of the JIT on every path.
    await run('warm-up', 50_000, (env, sink) => void env.fromSequence(1, 50_000).mapAsync(async (n) => n + 1).map((n) => n).sinkTo(sink));

    const syncMap = await run('map', RESOLVED_RECORDS, (env, sink) => void env.fromSequence(1, RESOLVED_RECORDS).map((n) => n + 1).sinkTo(sink));
    const resolved = await run('mapAsync resolved', RESOLVED_RECORDS, (env, sink) =>
      void env.fromSequence(1, RESOLVED_RECORDS).mapAsync((n) => Promise.resolve(n + 1)).sinkTo(sink),
    );
    const timers: Record<string, number> = {};
    for (const capacity of CAPACITIES) {
      timers[`input_order_capacity_${capacity}`] = await run(`mapAsync capacity ${capacity}`, TIMER_RECORDS, (env, sink) =>
        void env.fromSequence(1, TIMER_RECORDS).mapAsync((n) => later(n), { capacity }).sinkTo(sink),
      );
    }
    timers.key_order_capacity_100 = await run('keyed mapAsync', TIMER_RECORDS, (env, sink) =>
      void env
        .fromSequence(1, TIMER_RECORDS)
        .keyBy((n) => n % 64)
        .mapAsync((n) => later(n), { capacity: 100 })
        .sinkTo(sink),
    );

    // Baselines: the same promises without Weir.
    let started = performance.now();
    let total = 0;
    for (let n = 1; n <= RESOLVED_RECORDS; n++) total += await Promise.resolve(n + 1);
    const awaitLoop = round(RESOLVED_RECORDS / ((performance.now() - started) / 1000));
    if (total === 0) throw new Error('unreachable');
    const windows: Record<string, number> = {};
    for (const capacity of CAPACITIES) {
      started = performance.now();
      for (let from = 1; from <= TIMER_RECORDS; from += capacity) {
        const batch: Promise<number>[] = [];
        for (let n = from; n < from + capacity && n <= TIMER_RECORDS; n++) batch.push(later(n));
        await Promise.all(batch);
      }
      windows[`promise_all_windows_of_${capacity}`] = round(TIMER_RECORDS / ((performance.now() - started) / 1000));
    }

    process.stdout.write(
      JSON.stringify({
        bench: 'async',
        node: process.version,
        records: { resolved: RESOLVED_RECORDS, timers: TIMER_RECORDS },
        latency_ms: LATENCY_MS,
        records_per_sec: { map: syncMap, map_async_resolved: resolved, ...timers },
        baselines_per_sec: { await_loop_resolved: awaitLoop, ...windows },
        async_resolved_to_map: round(resolved / syncMap, 2),
      }) + '\n',
    );
  } finally {
    await cluster.close();
  }
}

await main();
