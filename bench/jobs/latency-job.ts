// The latency benchmark's job: a record goes through three operators across a keyBy shuffle,
// Stamp (the clock) -> keyBy -> Hop -> Latency (a sink measuring now - stamp), with whatever buffer
// timeout the benchmark sets (0: a task sends what each step emitted at the end of the step). The clock is process.hrtime
// (CLOCK_MONOTONIC), which every process on the machine shares, so a stamp taken in one TaskManager
// is comparable in the other. Each sink subtask writes what it measured to
// `<outputDirectory>/latency-<subtask>.json` when it closes.
//   args: ['sequence', count, _, outputDirectory, bufferTimeoutMs]: as fast as possible (the maximum rate);
//         ['paced', count, recordsPerSecond, outputDirectory, bufferTimeoutMs]: an observable emitting on a timer.
// The source (and Stamp) run at parallelism 1, Hop and the sink at the job's parallelism.
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

/** A late timer catches up at most this much of the schedule; beyond it the schedule slips instead. */
const MAX_CATCH_UP_MS = 4;

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

  let numbers: DataStream<number>;
  if (source === 'sequence') numbers = env.fromSequence(0, count - 1).setParallelism(1);
  else if (source === 'paced') numbers = env.fromObservable(() => paced(count, Number(rateText)), { bufferCapacity: 100_000 });
  else throw new Error(`source must be sequence or paced, got ${String(source)}`);
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
