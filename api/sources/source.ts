// The Source interface connectors implement (Flink's FLIP-27 Source, pull-based): a split
// enumerator runs on the JobManager and decides which split each reader gets next; a reader runs in
// every subtask of the source and turns one split at a time into records. Readers ask for splits
// lazily (RequestNextInputSplit), so a fast subtask reads more of them.
//
// Splits travel from the JobManager to the TaskManagers, so a split is plain data (what msgpackr
// encodes: objects, arrays, strings, numbers, Uint8Arrays, Dates). The enumerator and the readers
// are made from the job module on each process, like every user function: same code, no functions
// on the wire. Checkpoints (a later version) will add a snapshot of the enumerator and of each
// reader's position, and hand the splits of a failed reader back to the enumerator.
import type { RuntimeContext } from '../functions.ts';

/** Whether a source ends (a file, a table) or not (a queue, a socket). */
export type Boundedness = 'bounded' | 'unbounded';

export interface Source<T, Split> {
  /** AUTOMATIC runtime mode is BATCH only when every source is bounded. */
  readonly boundedness: Boundedness;
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
   * (an async generator). The next split is asked for once this one is exhausted.
   */
  read(split: Split): Iterable<T> | AsyncIterable<T>;
  /** After the last split, or when the subtask stops early. */
  close?(): void | Promise<void>;
}
