// The reading side of a split source (Flink's InputFormat reading InputSplits): asks the JobManager
// for one split at a time through SubtaskContext.requestSplit, reads it to the end, asks again, and
// ends when the answer is null. Splits are handed out lazily, so a fast subtask reads more of them.
import { WeirError, describeError } from '../../messages/errors.ts';
import type { InputSplit } from '../../messages/job-graph.ts';
import { type OperatorRuntime, describeOperator } from '../runtime/chain.ts';
import { SOURCE_END, SOURCE_MORE, type SourceReader, type SourceStatus } from '../runtime/source-reader.ts';
import { requestNextSplit } from './split-request.ts';

/** `S` is a split being read: parsed from the payload, advanced by emit(). */
export abstract class SplitSourceReader<S> implements SourceReader {
  protected readonly runtime: OperatorRuntime;
  private current: S | null = null;
  /** The request in flight; it never rejects (its outcome lands in `arrived` or `failure`). */
  private request: Promise<void> | null = null;
  /** The answer to the last request, until read() takes it; undefined while none is waiting. */
  private arrived: InputSplit | null | undefined = undefined;
  private failure: WeirError | null = null;
  private exhausted = false;

  constructor(runtime: OperatorRuntime) {
    this.runtime = runtime;
  }

  /** Checks a split's payload; throws a WeirError('INVALID_SPLIT') for one this source cannot read. */
  protected abstract parse(split: InputSplit): S;
  /** Emits at most `budget` records of `split`; returns how many it emitted. */
  protected abstract emit(split: S, budget: number): number;
  protected abstract isDone(split: S): boolean;

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
        if (budget <= 0) return SOURCE_MORE;
      }
      if (this.failure) return { kind: 'failed', error: this.failure };
      if (this.exhausted) return SOURCE_END;
      if (this.arrived === undefined) return { kind: 'wait', until: this.request ?? this.requestSplit() };
      const split = this.arrived;
      this.arrived = undefined;
      if (split === null) {
        this.exhausted = true;
        return SOURCE_END;
      }
      try {
        this.current = this.parse(split);
      } catch (error) {
        this.failure = error instanceof WeirError ? error : this.invalidSplit(split, describeError(error));
      }
    }
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
      else this.arrived = answer;
      this.request = null;
    });
    return this.request;
  }
}
