// The reading side of a split source (Flink's InputFormat reading InputSplits): asks the JobManager
// for one split at a time through SubtaskContext.requestSplit, reads it to the end, asks again, and
// ends when the answer is null. Splits are handed out lazily, so a fast subtask reads more of them.
//
// Checkpoints: the position is the number of splits received, and each split not finished with how
// far it got (the reader's offset: records, or bytes of a file). A restored reader first finishes
// those splits from their offsets, in order, then asks for new ones (the JobManager hands out again
// every split it gave after the ones counted).
import { WeirError, describeError } from '../../messages/errors.ts';
import type { InputSplit } from '../../messages/job-graph.ts';
import type { SnapshotContext, SourceSnapshot, SplitPosition } from '../runtime/checkpointing/snapshot.ts';
import { type OperatorRuntime, describeOperator } from '../runtime/chain.ts';
import { SOURCE_END, SOURCE_MORE, type SourceReader, type SourceStatus } from '../runtime/source-reader.ts';
import { requestNextSplit } from './split-request.ts';

/** A split to read from an offset: one restored from a snapshot (a new split starts at 0). */
interface ResumedSplit {
  readonly split: InputSplit;
  readonly offset: number;
}

/** `S` is a split being read: parsed from the payload, advanced by emit(). */
export abstract class SplitSourceReader<S> implements SourceReader {
  protected readonly runtime: OperatorRuntime;
  private current: S | null = null;
  /** The split `current` was parsed from. */
  private currentSplit: InputSplit | null = null;
  /** Restored splits not started yet, in order; read before any new split is asked for. */
  private resumed: ResumedSplit[] = [];
  /** Splits the JobManager handed to this subtask (counting those of the snapshot it was restored from). */
  private splitsReceived = 0;
  /** The request in flight; it never rejects (its outcome lands in `arrived` or `failure`). */
  private request: Promise<void> | null = null;
  /** The answer to the last request, until read() takes it; undefined while none is waiting. */
  private arrived: InputSplit | null | undefined = undefined;
  private failure: WeirError | null = null;
  private exhausted = false;

  constructor(runtime: OperatorRuntime) {
    this.runtime = runtime;
  }

  /**
   * Checks a split's payload and positions a reader `offset` into it (0 for a new split; records, or
   * bytes for a file, as offsetOf() counts); throws a WeirError('INVALID_SPLIT') for one this source
   * cannot read.
   */
  protected abstract parse(split: InputSplit, offset: number): S;
  /** Emits at most `budget` records of `split`; returns how many it emitted. */
  protected abstract emit(split: S, budget: number): number;
  protected abstract isDone(split: S): boolean;
  /** How far into its split `split` got, as parse() takes it back. */
  protected abstract offsetOf(split: S): number;

  /**
   * What read() reports when emit() stopped before the split's end: 'more' (the budget ran out), or,
   * for a split read asynchronously (a file), 'wait' on its I/O or 'failed'.
   */
  protected stalled(_split: S): SourceStatus {
    return SOURCE_MORE;
  }

  async open(): Promise<void> {}

  read(maxRecords: number): SourceStatus {
    let budget = maxRecords;
    for (;;) {
      if (this.current !== null) {
        budget -= this.emit(this.current, budget);
        if (!this.isDone(this.current)) return this.stalled(this.current);
        this.current = null;
        this.currentSplit = null;
        if (budget <= 0) return SOURCE_MORE;
      }
      if (this.failure) return { kind: 'failed', error: this.failure };
      if (this.exhausted) return SOURCE_END;
      let next: ResumedSplit;
      if (this.resumed.length > 0) next = this.resumed.shift() as ResumedSplit;
      else {
        if (this.arrived === undefined) return { kind: 'wait', until: this.request ?? this.requestSplit() };
        const split = this.arrived;
        this.arrived = undefined;
        if (split === null) {
          this.exhausted = true;
          return SOURCE_END;
        }
        next = { split, offset: 0 };
      }
      try {
        this.current = this.parse(next.split, next.offset);
        this.currentSplit = next.split;
      } catch (error) {
        this.failure = error instanceof WeirError ? error : this.invalidSplit(next.split, describeError(error));
      }
    }
  }

  /** The splits received, and the unfinished ones in reading order: the current split, restored ones not started, one that arrived. */
  snapshotState(_context: SnapshotContext): SourceSnapshot {
    const splits: SplitPosition[] = [];
    if (this.current !== null && !this.isDone(this.current)) {
      const split = this.currentSplit as InputSplit;
      splits.push({ split: split.index, payload: split.payload, offset: this.offsetOf(this.current) });
    }
    for (const { split, offset } of this.resumed) splits.push({ split: split.index, payload: split.payload, offset });
    if (this.arrived) splits.push({ split: this.arrived.index, payload: this.arrived.payload, offset: 0 });
    return { splitsReceived: this.splitsReceived, splits };
  }

  /** Before open(): the snapshot's splits are read first, from their offsets. */
  restoreState(snapshot: SourceSnapshot): void {
    const { splitsReceived, splits } = snapshot;
    if (!Number.isSafeInteger(splitsReceived) || splitsReceived < 0 || !Array.isArray(splits)) {
      throw new WeirError('STATE_RESTORE_FAILED', `${describeOperator(this.runtime.descriptor)}: the source position to restore needs splitsReceived and an array of splits`);
    }
    this.splitsReceived = splitsReceived;
    this.resumed = splits.map((position) => {
      if (!Number.isSafeInteger(position.split) || !Number.isSafeInteger(position.offset) || position.offset < 0) {
        throw new WeirError('STATE_RESTORE_FAILED', `${describeOperator(this.runtime.descriptor)}: a split position to restore needs an integer split index and offset, got ${JSON.stringify({ split: position.split, offset: position.offset })}`);
      }
      return { split: { index: position.split as number, payload: position.payload }, offset: position.offset };
    });
  }

  cancel(): void {
    this.exhausted = true;
  }

  async close(): Promise<void> {}

  protected invalidSplit(split: InputSplit, problem: string): WeirError {
    return new WeirError('INVALID_SPLIT', `${describeOperator(this.runtime.descriptor)} cannot read split ${split.index}: ${problem}`);
  }

  private requestSplit(): Promise<void> {
    this.request = requestNextSplit(this.runtime).then((answer) => {
      if (answer instanceof WeirError) this.failure = answer;
      else {
        this.arrived = answer;
        if (answer !== null) this.splitsReceived++;
      }
      this.request = null;
    });
    return this.request;
  }
}
