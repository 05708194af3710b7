// The Source interface connectors implement (Flink's FLIP-27 Source, pull-based): a split
// enumerator runs on the JobManager and decides which split each reader gets next; a reader runs in
// every subtask of the source and turns one split at a time into records. Readers ask for splits
// lazily (RequestNextInputSplit), so a fast subtask reads more of them.
//
// Splits travel from the JobManager to the TaskManagers, so a split is plain data (what msgpackr
// encodes: objects, arrays, strings, numbers, Uint8Arrays, Dates). The enumerator and the readers
// are made from the job module on each process, like every user function: same code, no functions
// on the wire. Checkpoints: a reader that implements snapshotState() is replayed exactly from where
// it was (Flink's model: the split carries its own progress); one that does not reads a split it had
// not finished again from its start after a restore (at least once).
//
// Event time: `env.fromSource(source, strategy, name)` (Flink's argument order) gives the records
// the WatermarkStrategy's timestamps; each split gets a watermark generator of its own and the
// reader emits the minimum over its splits that are not idle (a split that ends stops holding it
// back; `withIdleness` marks an idle split, and a reader waiting for a split, idle). The end of a
// bounded input is the end of event time. `env.fromSource(source, name)` has no event time: records
// carry no timestamp and no watermark is generated. See sources/source-event-time.ts.
import type { RuntimeContext } from '../functions.ts';

/** Whether a source ends (a file, a table) or not (a queue, a socket). */
export type Boundedness = 'bounded' | 'unbounded';

export interface Source<T, Split> {
  /** AUTOMATIC runtime mode is BATCH only when every source is bounded. */
  readonly boundedness: Boundedness;
  /**
   * How many splits a reader reads side by side: a positive integer or Infinity; default 1 (the
   * next split is asked for once the current one is exhausted). An unbounded source whose splits
   * never end (the partitions of a log) needs as many as one reader may be given; the enumerator
   * can hold a reader back by keeping its answer pending. Each split's watermarks are its own.
   */
  readonly concurrentSplits?: number;
  /** Runs on the JobManager, once per job: hands out the splits. */
  createEnumerator(context: SplitEnumeratorContext): SplitEnumerator<Split>;
  /** Runs in each subtask of the source: reads the splits handed to it. */
  createReader(context: RuntimeContext): SourceSplitReader<T, Split>;
}

export interface SplitEnumeratorContext {
  readonly jobName: string;
  /** How many subtasks (readers) the source runs with. */
  readonly parallelism: number;
}

export interface SplitEnumerator<Split> {
  /**
   * The next split for reader `subtaskIndex`, or null when that reader gets no more (it then ends;
   * the source ends when every reader has). May return a promise that stays pending until a split
   * exists (an unbounded source discovering new work): the reader waits for it without timing out.
   */
  nextSplit(subtaskIndex: number): Split | null | PromiseLike<Split | null>;
  /** After the job ended (also when it failed or was cancelled). */
  close?(): void | Promise<void>;
}

export interface SourceSplitReader<T, Split> {
  /** Before the first split. */
  open?(): void | Promise<void>;
  /**
   * The records of one split, in order: an iterable (an array, a generator) or an async iterable
   * (an async generator). The next split is asked for once this one is exhausted (or, with
   * `concurrentSplits`, while fewer are being read).
   */
  read(split: Split): Iterable<T> | AsyncIterable<T>;
  /**
   * Checkpoints (optional; Flink's SourceReader.snapshotState): `split` without its first
   * `recordsEmitted` records, as a split of its own (plain data, e.g. the split with its offset moved
   * on by that many), for each split being read when a checkpoint is taken (on the task's turn). The
   * count is of records that reached the chain, whatever the reader read ahead. A restore reads what
   * this returned with read(). Without it, a split not finished at a checkpoint is read again from
   * its start after a restore (at least once).
   */
  snapshotState?(split: Split, recordsEmitted: number, checkpointId: number): Split;
  /** After the last split, or when the subtask stops early. */
  close?(): void | Promise<void>;
}
