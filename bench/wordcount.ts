// Word count and latency benchmark of the data plane (issue 4, "Figures"), with the baselines measured
// in the same run. Prints ONE JSON line; nothing here asserts a speed.
//
// (a) embedded: bench/jobs/wordcount-job.ts on a MiniCluster at parallelism 1, BATCH mode, against a
//     plain loop (split + count in a Map), an RxJS pipeline (mergeMap(split) -> reduce) and a Node
//     stream pipeline (lines -> words, one chunk per word -> counting Writable), all on the same lines.
// (b) standalone: a JobManager and two TaskManager processes (cluster/entrypoints, a temp
//     WEIR_CONF_DIR), the same job at parallelism 2, keyBy over ws, input generated in the source.
//     BATCH (the combiner pre-aggregates before the shuffle) is the figure; STREAMING (every word
//     crosses the shuffle) and a plain two-process ws + msgpackr word count (bench/wordcount-peer.ts)
//     show what the combiner saves and what the wire costs.
// (c) latency: bench/jobs/latency-job.ts, Stamp -> keyBy -> Hop -> sink with buffer timeout 0, first
//     as fast as possible (the maximum rate), then paced at half that rate: p50/p99 of now - stamp.
//     On the standalone cluster (half the records cross to the other TaskManager) and embedded.
// (d) tls: (b)'s STREAMING word count on a second standalone cluster with security.ssl.internal on
//     (throwaway CA made with openssl): `tlsWordsPerSec`, and its ratio to (b)'s plain figure.
// (e) metricsOverheadRatio: (a)'s embedded job with metrics collection on and off, in pairs
//     (bench/metrics-overhead.ts): the share of throughput metrics cost.
//
// Placement: each TaskManager's main thread is pinned to its own core (taskset, as bench/actors.ts;
// BENCH_PIN=0 leaves them alone); the baseline's two processes the same way.
//
//   npx tsx bench/wordcount.ts
//   BENCH_ONLY=latency BENCH_SCALE=0.2 npx tsx bench/wordcount.ts      one part (embedded, metrics, cluster, latency), smaller inputs
//   BENCH_TM_NODE_ARGS="--cpu-prof --cpu-prof-dir=$PWD/.tmp/prof" BENCH_ONLY=cluster npx tsx bench/wordcount.ts
// BENCH_LATENCY_RATE=n paces the latency run at n records/s; BENCH_KEEP=1 keeps the jobs' outputs
// (per-record latencies included); BENCH_ECHO=1 echoes the cluster processes' stdout on stderr.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WeirClient } from '../api/client/index.ts';
import type { JobModule } from '../api/index.ts';
import { MiniCluster } from '../cluster/minicluster.ts';
import latencyJob, { type LatencyReport } from './jobs/latency-job.ts';
import { lineOf, wordTotal } from './jobs/text.ts';
import wordCountJob, { type SinkTally } from './jobs/wordcount-job.ts';
import { countLoop, countRx, countStreams, wsBaselines } from './wordcount-baselines.ts';
import { ROOT, killChildren, startStandaloneCluster, withTimeout } from './wordcount-processes.ts';
import { createCertificateAuthority } from '../spec/testkit/tls-certificates.ts';
import { METRICS_OVERHEAD_TARGET, measureMetricsOverhead } from './metrics-overhead.ts';

const WORDCOUNT_JOB = join(ROOT, 'bench/jobs/wordcount-job.ts');
const LATENCY_JOB = join(ROOT, 'bench/jobs/latency-job.ts');

/** Sizes (lines hold ~9.5 words); BENCH_SCALE=0.1 for a quick look. Throughputs are medians of REPEATS runs after a warm-up. */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPEATS = 3;
const EMBEDDED_LINES = Math.round(500_000 * SCALE);
const CLUSTER_LINES = Math.round(3_000_000 * SCALE);
const CLUSTER_STREAMING_LINES = Math.round(500_000 * SCALE);
const WS_BASELINE_LINES = Math.round(500_000 * SCALE);
const LATENCY_MAX_RECORDS = Math.round(200_000 * SCALE);
const LATENCY_PACED_SECONDS = Math.max(2, Math.round(5 * SCALE));
/** The first second of a paced run is left out of the percentiles (JIT, connections warming up). */
const LATENCY_WARMUP_SECONDS = 1;
/** ws round trips of the latency baseline (back to back, ~70 µs each). */
const ROUND_TRIPS = 20_000;
const JOB_TIMEOUT_MS = 120_000;
const WHOLE_RUN_TIMEOUT_MS = 600_000;

const TARGETS = { embeddedToLoop: 0.75, clusterWordsPerSec: 2e6, latencyP99Ms: 2, metricsOverheadRatio: METRICS_OVERHEAD_TARGET } as const;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
const round = (value: number, digits = 0): number => Math.round(value * 10 ** digits) / 10 ** digits;

const workDir = mkdtempSync(join(tmpdir(), 'weir-bench-wordcount-'));
let outputs = 0;
/** A fresh, empty directory for one job's outputs. */
function outputDirectory(): string {
  const directory = join(workDir, `out-${outputs++}`);
  mkdirSync(directory);
  return directory;
}

function readJson<T>(directory: string, prefix: string): T[] {
  return readdirSync(directory)
    .filter((file) => file.startsWith(prefix))
    .map((file) => JSON.parse(readFileSync(join(directory, file), 'utf8')) as T);
}

/** Checks that the sinks' tallies add up to the words of `lines` (BATCH: counts; STREAMING: one update per word). */
function checkTallies(directory: string, lines: number, mode: 'BATCH' | 'STREAMING'): void {
  const tallies = readJson<SinkTally>(directory, 'count-');
  const expected = wordTotal(lines);
  const counted = tallies.reduce((sum, tally) => sum + (mode === 'BATCH' ? tally.countSum : tally.records), 0);
  if (counted !== expected) throw new Error(`the ${mode} word count of ${lines} lines counted ${counted} words, not ${expected}`);
}

/** words/s of `count`, checking it counted every word of `lines`. */
async function wordsPerSec(lines: number, count: () => number | Promise<number>, what: string): Promise<number> {
  const start = performance.now();
  const counted = await count();
  const seconds = (performance.now() - start) / 1000;
  if (counted !== wordTotal(lines)) throw new Error(`${what} counted ${counted} words, not ${wordTotal(lines)}`);
  return counted / seconds;
}

// --- Weir jobs ---------------------------------------------------------------------------------

interface JobRun {
  /** From submit() to the FINISHED status. */
  readonly totalMs: number;
  /** From the RUNNING status (every task deployed and open) to FINISHED. */
  readonly runningMs: number;
}

interface Submitter {
  submit(job: 'wordcount' | 'latency', parallelism: number, args: string[]): Promise<JobRun>;
}

function embeddedSubmitter(cluster: MiniCluster): Submitter {
  const modules: Record<'wordcount' | 'latency', JobModule> = { wordcount: wordCountJob, latency: latencyJob };
  return {
    async submit(job, parallelism, args) {
      const start = performance.now();
      const handle = await cluster.submit(modules[job], { parallelism, args });
      return timeJob(start, handle);
    },
  };
}

function clusterSubmitter(client: WeirClient): Submitter {
  const paths = { wordcount: WORDCOUNT_JOB, latency: LATENCY_JOB };
  return {
    async submit(job, parallelism, args) {
      const start = performance.now();
      const handle = await client.submit(paths[job], { parallelism, args });
      return timeJob(start, handle);
    },
  };
}

async function timeJob(start: number, handle: Awaited<ReturnType<MiniCluster['submit']>>): Promise<JobRun> {
  let runningAt = start;
  const subscription = handle.status$.subscribe((change) => {
    if (change.status === 'RUNNING') runningAt = performance.now();
  });
  try {
    const result = await withTimeout(handle.result(), `job ${handle.jobId}`, JOB_TIMEOUT_MS);
    if (result.status !== 'FINISHED') throw new Error(`job ${handle.jobId} ended ${result.status}`);
  } finally {
    subscription.unsubscribe();
  }
  const end = performance.now();
  return { totalMs: end - start, runningMs: end - runningAt };
}

/** Word counts of `lines` in `mode`: words/s from submit and from RUNNING, medians of REPEATS after a warm-up. */
async function wordCountRuns(submitter: Submitter, parallelism: number, lines: number, mode: 'BATCH' | 'STREAMING'): Promise<{ total: number[]; running: number[] }> {
  const words = wordTotal(lines);
  const figures = { total: [] as number[], running: [] as number[] };
  for (let run = 0; run <= REPEATS; run++) {
    const directory = outputDirectory();
    const runLines = run === 0 ? Math.min(lines, 200_000) : lines; // run 0 warms up
    const timed = await submitter.submit('wordcount', parallelism, [String(runLines), mode, directory]);
    checkTallies(directory, runLines, mode);
    if (run === 0) continue;
    figures.total.push(words / (timed.totalMs / 1000));
    figures.running.push(words / (timed.runningMs / 1000));
  }
  return figures;
}

interface LatencyFigures {
  readonly maxRecordsPerSec: number;
  readonly pacedRecordsPerSec: number;
  /** What the paced run delivered: records / (last arrival - first stamp); below the pace when timers slipped. */
  readonly achievedRecordsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** p50/p99 per sink subtask: 0 shares the source's TaskManager, 1 is the other one on the cluster. */
  readonly bySinkSubtask: Record<string, { p50Ms: number; p99Ms: number }>;
}

/** records / (last arrival - first stamp) over every sink subtask, checking that all `records` arrived. */
function deliveredPerSec(reports: LatencyReport[], records: number): number {
  const received = reports.reduce((sum, report) => sum + report.latenciesUs.length, 0);
  if (received !== records) throw new Error(`the latency job delivered ${received} of ${records} records`);
  const first = Math.min(...reports.map((report) => report.firstStampNs));
  const last = Math.max(...reports.map((report) => report.lastArrivalNs));
  return records / ((last - first) / 1e9);
}

function percentileMs(sortedUs: Float64Array, p: number): number {
  return round(sortedUs[Math.min(sortedUs.length - 1, Math.floor(sortedUs.length * p))] / 1000, 3);
}

/** The maximum rate with buffer timeout 0, then latency percentiles paced at half of it. */
async function latencyRuns(submitter: Submitter, parallelism: number): Promise<LatencyFigures> {
  const rates: number[] = [];
  for (let run = 0; run <= REPEATS; run++) {
    const directory = outputDirectory();
    const records = run === 0 ? Math.round(LATENCY_MAX_RECORDS / 4) : LATENCY_MAX_RECORDS; // run 0 warms up
    await submitter.submit('latency', parallelism, ['burst', String(records), '0', directory, '0']);
    if (run > 0) rates.push(deliveredPerSec(readJson<LatencyReport>(directory, 'latency-'), records));
  }
  const maxRate = median(rates);
  const pacedRate = Number(process.env.BENCH_LATENCY_RATE ?? Math.max(1000, Math.round(maxRate / 2)));
  const count = pacedRate * LATENCY_PACED_SECONDS;
  const warmup = pacedRate * LATENCY_WARMUP_SECONDS;
  const directory = outputDirectory();
  await submitter.submit('latency', parallelism, ['paced', String(count), String(pacedRate), directory, '0']);
  const reports = readJson<LatencyReport>(directory, 'latency-');
  const achieved = deliveredPerSec(reports, count);
  const measured = (report: LatencyReport): Float64Array => Float64Array.from(report.latenciesUs.filter((_, at) => report.seqs[at] >= warmup)).sort();
  const all = Float64Array.from(reports.flatMap((report) => [...measured(report)])).sort();
  if (all.length !== count - warmup) throw new Error(`the paced latency job delivered ${all.length} of ${count - warmup} measured records`);
  const bySinkSubtask: Record<string, { p50Ms: number; p99Ms: number }> = {};
  for (const report of reports) {
    const sorted = measured(report);
    bySinkSubtask[report.subtask] = { p50Ms: percentileMs(sorted, 0.5), p99Ms: percentileMs(sorted, 0.99) };
  }
  return {
    maxRecordsPerSec: Math.round(maxRate),
    pacedRecordsPerSec: pacedRate,
    achievedRecordsPerSec: Math.round(achieved),
    p50Ms: percentileMs(all, 0.5),
    p99Ms: percentileMs(all, 0.99),
    p999Ms: percentileMs(all, 0.999),
    maxMs: round(all[all.length - 1] / 1000, 3),
    bySinkSubtask,
  };
}

// --- main --------------------------------------------------------------------------------------

/** The parts to run: BENCH_ONLY=embedded,cluster,latency (default all) when profiling one of them. */
const PARTS = new Set((process.env.BENCH_ONLY ?? 'embedded,metrics,cluster,latency,tls').split(','));

/** (a): the embedded word count and its baselines, interleaved so that they share the conditions. */
async function embeddedWordCount(embedded: Submitter): Promise<Record<string, unknown>> {
  const figures = { loop: [] as number[], weir: [] as number[], rx: [] as number[], streams: [] as number[] };
  for (let round = 0; round <= REPEATS; round++) {
    const lines = round === 0 ? Math.round(EMBEDDED_LINES / 5) : EMBEDDED_LINES;
    const loop = await wordsPerSec(lines, () => countLoop(lines), 'the loop');
    const directory = outputDirectory();
    const timed = await embedded.submit('wordcount', 1, [String(lines), 'BATCH', directory]);
    const weir = wordTotal(lines) / (timed.totalMs / 1000);
    checkTallies(directory, lines, 'BATCH');
    const rx = await wordsPerSec(lines, () => countRx(lines), 'RxJS');
    const streams = await wordsPerSec(lines, () => countStreams(lines), 'Node streams');
    if (round === 0) continue;
    figures.loop.push(loop);
    figures.weir.push(weir);
    figures.rx.push(rx);
    figures.streams.push(streams);
  }
  const loop = median(figures.loop);
  const weir = median(figures.weir);
  return {
    parallelism: 1,
    mode: 'BATCH',
    words: wordTotal(EMBEDDED_LINES),
    weirWordsPerSec: round(weir),
    ratioToLoop: round(weir / loop, 2),
    baselines: { loopWordsPerSec: round(loop), rxjsWordsPerSec: round(median(figures.rx)), nodeStreamsWordsPerSec: round(median(figures.streams)) },
    runs: { weir: figures.weir.map((figure) => round(figure)), loop: figures.loop.map((figure) => round(figure)) },
  };
}

/** (b): the standalone word count, BATCH and STREAMING, and the plain two-process baseline. */
async function clusterWordCount(remote: Submitter, wsBaselineRuns: number[]): Promise<Record<string, unknown> & { batchWordsPerSec: number }> {
  const batch = await wordCountRuns(remote, 2, CLUSTER_LINES, 'BATCH');
  const streaming = await wordCountRuns(remote, 2, CLUSTER_STREAMING_LINES, 'STREAMING');
  return {
    taskManagers: 2,
    parallelism: 2,
    words: wordTotal(CLUSTER_LINES),
    batchWordsPerSec: round(median(batch.total)),
    batchWordsPerSecWhileRunning: round(median(batch.running)),
    streamingWordsPerSec: round(median(streaming.total)),
    streamingWords: wordTotal(CLUSTER_STREAMING_LINES),
    baselines: { wsMsgpackrTwoProcessWordsPerSec: round(median(wsBaselineRuns)) },
    runs: { batch: batch.total.map((figure) => round(figure)), streaming: streaming.total.map((figure) => round(figure)) },
  };
}

/** (d): the STREAMING standalone word count with security.ssl.internal on: every record batch and actor message over mutual TLS. */
async function tlsWordCount(): Promise<{ streamingWordsPerSec: number; runs: number[]; cipher: string }> {
  const authority = createCertificateAuthority('bench');
  const client = authority.issue('cluster');
  const files = { cert: join(authority.directory, 'cluster.crt'), key: join(authority.directory, 'cluster.key'), ca: join(authority.directory, 'ca.crt') };
  const tlsDir = join(workDir, 'tls-cluster');
  mkdirSync(tlsDir);
  const cluster = await startStandaloneCluster(tlsDir, { tls: { files, client } });
  try {
    const streaming = await wordCountRuns(clusterSubmitter(cluster.client), 2, CLUSTER_STREAMING_LINES, 'STREAMING');
    return { streamingWordsPerSec: round(median(streaming.total)), runs: streaming.total.map((figure) => round(figure)), cipher: 'TLS 1.3, P-256 certificates (Node defaults)' };
  } finally {
    await cluster.stop();
    authority.dispose();
  }
}

async function main(): Promise<Record<string, unknown>> {
  lineOf(0); // the line pool, built once before anything is timed
  wordTotal(EMBEDDED_LINES);
  const result: Record<string, unknown> = { bench: 'wordcount' };
  const met: Record<string, boolean> = {};

  const mini = await MiniCluster.start({ taskManagers: 1, slotsPerTaskManager: 4 });
  let embeddedLatency: LatencyFigures | undefined;
  try {
    const embedded = embeddedSubmitter(mini);
    if (PARTS.has('embedded')) {
      const figures = await embeddedWordCount(embedded);
      result.embedded = figures;
      met.embeddedToLoop = (figures.ratioToLoop as number) >= TARGETS.embeddedToLoop;
    }
    if (PARTS.has('metrics')) {
      const overhead = await measureMetricsOverhead(async () => {
        const directory = outputDirectory();
        await embedded.submit('wordcount', 1, [String(EMBEDDED_LINES), 'BATCH', directory]);
        checkTallies(directory, EMBEDDED_LINES, 'BATCH');
        return wordTotal(EMBEDDED_LINES);
      });
      const { metricsOverheadRatio, ...runs } = overhead;
      result.metricsOverheadRatio = metricsOverheadRatio;
      result.metricsOverhead = { job: 'embedded word count, parallelism 1, BATCH', figure: 'words per CPU second', ...runs };
      met.metricsOverheadRatio = overhead.metricsOverheadRatio <= METRICS_OVERHEAD_TARGET;
    }
    if (PARTS.has('latency')) embeddedLatency = await latencyRuns(embedded, 2);
  } finally {
    await mini.close();
  }

  if (PARTS.has('cluster') || PARTS.has('latency')) {
    const baselines = await wsBaselines(PARTS.has('cluster'), PARTS.has('latency'), { repeats: REPEATS, lines: WS_BASELINE_LINES, roundTrips: ROUND_TRIPS });
    const cluster = await startStandaloneCluster(workDir);
    const remote = clusterSubmitter(cluster.client);
    try {
      if (PARTS.has('cluster')) {
        const figures = await clusterWordCount(remote, baselines.wordCount);
        result.cluster = { ...figures, placement: cluster.placement };
        met.clusterWordsPerSec = figures.batchWordsPerSec >= TARGETS.clusterWordsPerSec;
      }
      if (PARTS.has('latency')) {
        const clusterLatency = await latencyRuns(remote, 2);
        result.latency = {
          bufferTimeoutMs: 0,
          pipeline: 'Stamp -> keyBy -> Hop -> sink',
          cluster: clusterLatency,
          embedded: embeddedLatency,
          baselines: { wsRoundTripP50Ms: percentileMs(baselines.roundTripsUs, 0.5), wsRoundTripP99Ms: percentileMs(baselines.roundTripsUs, 0.99) },
        };
        met.latencyP99Ms = clusterLatency.p99Ms < TARGETS.latencyP99Ms;
      }
    } finally {
      await cluster.stop();
    }
  }
  if (PARTS.has('tls')) {
    const figures = await tlsWordCount();
    const plain = (result.cluster as { streamingWordsPerSec?: number } | undefined)?.streamingWordsPerSec;
    result.tls = { ...figures, ...(plain ? { ratioToPlain: round(figures.streamingWordsPerSec / plain, 3) } : {}) };
    result.tlsWordsPerSec = figures.streamingWordsPerSec;
  }
  // The machine may be shared: the load says how much else ran (the latency tail depends on it most).
  return { ...result, loadAverage: round(loadavg()[0], 2), targets: TARGETS, met };
}

const guard = setTimeout(() => {
  process.stderr.write(`bench/wordcount: gave up after ${WHOLE_RUN_TIMEOUT_MS} ms\n`);
  killChildren();
  process.exit(1);
}, WHOLE_RUN_TIMEOUT_MS);
guard.unref();

try {
  const result = await main();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (process.env.BENCH_KEEP === '1') process.stderr.write(`bench/wordcount: outputs kept in ${workDir}\n`);
  else rmSync(workDir, { recursive: true, force: true });
  process.exit(0);
} catch (error) {
  process.stderr.write(`bench/wordcount failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  killChildren();
  process.exit(1);
}
