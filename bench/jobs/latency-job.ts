// The latency benchmark's job: a record goes through three operators across a keyBy shuffle,
// Stamp (the clock) -> keyBy -> Hop -> Latency (a sink measuring now - stamp), with whatever buffer
// timeout the benchmark sets (0: a task sends what each step emitted at the end of the step). The clock is process.hrtime
// (CLOCK_MONOTONIC), which every process on the machine shares, so a stamp taken in one TaskManager
// is comparable in the other. Each sink subtask writes what it measured to
// `<outputDirectory>/latency-<subtask>.json` when it closes.
//   args: ['burst', count, _, outputDirectory, bufferTimeoutMs]: as fast as possible (the maximum rate);
//         ['paced', count, recordsPerSecond, outputDirectory, bufferTimeoutMs]: at a paced rate.
// Both sources are observables (the same source path, so that the paced rate is one the pipeline
// can sustain); the source and Stamp run at parallelism 1, Hop and the sink at the job's parallelism.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Observable } from 'rxjs';
import type { DataStream, JobModule, RuntimeContext, SinkFunction } from '../../api/index.ts';

/** [sequence number, stamp in ns of the monotonic clock]. */
export type Stamped = [seq: number, stampNs: number];

export interface LatencyReport {
  readonly subtask: number;
  /** Latency of each record received, in µs, in arrival order. */
  readonly latenciesUs: number[];
  /** The sequence number of each record, in the same order. */
  readonly seqs: number[];
  readonly firstStampNs: number;
  readonly lastArrivalNs: number;
}

/**
 * A late timer catches up at most this much of the schedule (a tick of setTimeout(1) comes every
 * 1-1.5 ms); beyond it the schedule slips instead (the benchmark reports the rate achieved), so that
 * one very late tick does not turn into a burst that measures the timer rather than the pipeline.
 */
const MAX_CATCH_UP_MS = 2;

/** Emits 0..count-1 at `perSecond`, in bursts per timer tick (~1 ms): what is due by now goes out. */
export function paced(count: number, perSecond: number): Observable<number> {
  return new Observable<number>((subscriber) => {
    let start = performance.now();
    let sent = 0;
    let timer: NodeJS.Timeout;
    const tick = (): void => {
      const now = performance.now();
      const behindMs = now - start - (sent * 1000) / perSecond;
      if (behindMs > MAX_CATCH_UP_MS) start += behindMs - MAX_CATCH_UP_MS;
      const due = Math.min(count, Math.floor(((now - start) * perSecond) / 1000));
      while (sent < due) subscriber.next(sent++);
      if (sent >= count) subscriber.complete();
      else timer = setTimeout(tick, 1);
    };
    timer = setTimeout(tick, 1);
    return () => clearTimeout(timer);
  });
}

/** Records a burst emits per macrotask: the task drains them between two (one step's worth). */
const BURST_CHUNK = 1000;

/** Emits 0..count-1 as fast as the event loop turns, BURST_CHUNK at a time. */
export function burst(count: number): Observable<number> {
  return new Observable<number>((subscriber) => {
    let sent = 0;
    let immediate: NodeJS.Immediate;
    const chunk = (): void => {
      const end = Math.min(count, sent + BURST_CHUNK);
      while (sent < end) subscriber.next(sent++);
      if (sent >= count) subscriber.complete();
      else immediate = setImmediate(chunk);
    };
    immediate = setImmediate(chunk);
    return () => clearImmediate(immediate);
  });
}

const nowNs = (): number => Number(process.hrtime.bigint());

const latencyJob: JobModule = (env, args) => {
  const [source, countText, rateText, outputDirectory, bufferTimeout] = args;
  const count = Number(countText);
  env.setJobName(`latency (${source})`);
  env.setBufferTimeout(Number(bufferTimeout ?? 0));

  // Preallocated: growing an array of a million samples would stall the sink and show up as latency.
  class LatencySink implements SinkFunction<Stamped> {
    private subtask = 0;
    private readonly latenciesUs = new Float64Array(count);
    private readonly seqs = new Float64Array(count);
    private received = 0;
    private firstStampNs = Infinity;
    private lastArrivalNs = 0;

    open(context: RuntimeContext): void {
      this.subtask = context.subtaskIndex;
    }

    invoke(record: Stamped): void {
      const now = nowNs();
      const at = this.received++;
      this.latenciesUs[at] = (now - record[1]) / 1000;
      this.seqs[at] = record[0];
      if (record[1] < this.firstStampNs) this.firstStampNs = record[1];
      this.lastArrivalNs = now;
    }

    close(): void {
      const report: LatencyReport = {
        subtask: this.subtask,
        latenciesUs: Array.from(this.latenciesUs.subarray(0, this.received)),
        seqs: Array.from(this.seqs.subarray(0, this.received)),
        firstStampNs: this.firstStampNs,
        lastArrivalNs: this.lastArrivalNs,
      };
      writeFileSync(join(outputDirectory, `latency-${this.subtask}.json`), JSON.stringify(report));
    }
  }

  // The buffer may hold every record: a burst runs ahead of a backpressured chain, and a paced
  // source is never to fail the run, only to show its latency.
  const bufferCapacity = count + 1;
  let numbers: DataStream<number>;
  if (source === 'burst') numbers = env.fromObservable(() => burst(count), { bufferCapacity });
  else if (source === 'paced') numbers = env.fromObservable(() => paced(count, Number(rateText)), { bufferCapacity });
  else throw new Error(`source must be burst or paced, got ${String(source)}`);
  numbers
    .map((seq): Stamped => [seq, nowNs()])
    .name('Stamp')
    .setParallelism(1)
    .keyBy((record) => record[0] & 63)
    .map((record) => record)
    .name('Hop')
    .sinkTo(LatencySink)
    .name('Latency');
};

export default latencyJob;
