// The subtask side of a Source (source.ts): asks the JobManager for a split at a time
// (SubtaskContext.requestSplit) and emits the records the user's reader gives for it, reading up to
// `source.concurrentSplits` splits side by side (default 1: the next split is asked for once the
// current one is exhausted). Several splits share each step's budget in turns, so an endless split
// does not starve the others. How a split is walked is split-cursors.ts.
//
// With a WatermarkStrategy (fromSource(source, strategy)), records go through a split's
// timestamping output and watermarks per split through SourceEventTime (source-event-time.ts).
//
// What the user's reader throws (in read(), in its iterator) fails the subtask with
// SOURCE_READ_FAILED naming the source and the split.
//
// Checkpoints: each split being read (and one that arrived) is written as the user's snapshotState()
// gives its rest after the records emitted of it (counted per split, per take); without
// snapshotState(), as the split itself, read again from its start (at least once). The reader's
// watermark is written too; a restored reader emits none below it.
// Threading: the task's turn only; the split request's handlers only set `arrived` / `failure`.
import { WeirError, describeError } from '../../messages/errors.ts';
import type { InputSplit } from '../../messages/job-graph.ts';
import type { WatermarkStrategy } from '../eventtime/watermark-strategy.ts';
import { type OperatorRuntime, type Output, describeOperator, userFunctionError } from '../runtime/chain.ts';
import type { SnapshotContext, SourceSnapshot, SplitPosition } from '../runtime/checkpointing/snapshot.ts';
import { SOURCE_END, SOURCE_MORE, type SourceReader, type SourceStatus } from '../runtime/source-reader.ts';
import type { Source, SourceSplitReader } from './source.ts';
import type { SplitWatermark } from '../../messages/watermarks.ts';
import { SourceEventTime } from './source-event-time.ts';
import { requestNextSplit } from './split-request.ts';
import { AsyncCursor, type RecordOutput, type SplitCursor, SyncCursor } from './split-cursors.ts';

interface ActiveSplit<T> {
  readonly index: number;
  /** The split as it arrived (or as it was restored). */
  readonly split: InputSplit;
  /** Records of it that reached the chain (what snapshotState() is told). */
  emitted: number;
  readonly cursor: SplitCursor<T>;
  /** The chain's output, or the split's timestamping output. */
  readonly output: RecordOutput<T>;
}

export class ConnectorSourceReader<T, Split> implements SourceReader {
  private reader: SourceSplitReader<T, Split> | null = null;
  /** The splits being read, in the order they arrived; a split leaves when it is exhausted. */
  private readonly active: ActiveSplit<T>[] = [];
  /** Which split takes the first share of the next read (round robin). */
  private turn = 0;
  /** The split request in flight; it never rejects (its outcome lands in `arrived` or `failure`). */
  private request: Promise<void> | null = null;
  /** The answer to the last request, until read() takes it; undefined while none is waiting. */
  private arrived: InputSplit | null | undefined = undefined;
  private failure: WeirError | null = null;
  /** The enumerator said null: no split will come. */
  private noMoreSplits = false;
  /** Splits the JobManager handed to this subtask (counting those of the snapshot it was restored from). */
  private splitsReceived = 0;
  /** Restored splits (each one's rest), started by open(). */
  private resumed: InputSplit[] = [];
  private cancelled = false;
  private readonly operator: string;
  private readonly concurrentSplits: number;
  /** Null without a strategy: records leave without timestamps, and no watermark is generated. */
  private readonly eventTime: SourceEventTime<T> | null;

  constructor(
    private readonly runtime: OperatorRuntime,
    private readonly source: Source<T, Split>,
    private readonly output: Output<T>,
    strategy: WatermarkStrategy<T> | undefined,
  ) {
    this.operator = describeOperator(runtime.descriptor);
    this.concurrentSplits = source.concurrentSplits ?? 1;
    this.eventTime = strategy === undefined ? null : new SourceEventTime(strategy, runtime, output);
  }

  async open(): Promise<void> {
    let reader: SourceSplitReader<T, Split>;
    try {
      reader = this.source.createReader(this.runtime.runtimeContext);
    } catch (error) {
      throw userFunctionError(this.runtime.descriptor, 'failed in createReader()', error);
    }
    if (typeof (reader as Partial<SourceSplitReader<T, Split>> | null)?.read !== 'function') {
      throw new WeirError('INVALID_FUNCTION', `${this.operator}: createReader() must return a reader with a read(split) method; it returned ${String(reader)}`);
    }
    this.reader = reader;
    try {
      await reader.open?.();
    } catch (error) {
      throw userFunctionError(this.runtime.descriptor, 'failed in its reader\'s open()', error);
    }
    try {
      this.eventTime?.start();
    } catch (error) {
      throw error instanceof WeirError ? error : userFunctionError(this.runtime.descriptor, 'failed creating its watermark generator', error);
    }
    for (const split of this.resumed) if (this.failure === null) this.startArrivedSplit(split);
    this.resumed = [];
  }

  /** Every split being read (its rest, from the user's snapshotState(); else all of it), a restored one not started, one that arrived. */
  snapshotState(context: SnapshotContext): SourceSnapshot {
    const splits: SplitPosition[] = [];
    const reader = this.reader;
    for (const { index, split, emitted, cursor } of this.active) {
      if (cursor.done) continue;
      let rest = split.payload;
      if (reader?.snapshotState !== undefined) {
        try {
          rest = reader.snapshotState(split.payload as Split, emitted, context.checkpointId);
        } catch (error) {
          throw userFunctionError(this.runtime.descriptor, `failed in its reader's snapshotState() of split ${index}`, error);
        }
      }
      // The offset says how much of the split as it arrived was left out of `rest` (0: read it all again).
      splits.push({ split: index, payload: rest, offset: reader?.snapshotState === undefined ? 0 : emitted });
    }
    for (const split of this.resumed) splits.push({ split: split.index, payload: split.payload, offset: 0 });
    if (this.arrived) splits.push({ split: this.arrived.index, payload: this.arrived.payload, offset: 0 });
    const watermark = this.eventTime?.watermark;
    return { splitsReceived: this.splitsReceived, splits, ...(watermark === undefined ? {} : { watermark }) };
  }

  /** Before open(): the snapshot's splits are read first (open() starts them), and the watermark resumes where it was. */
  restoreState(snapshot: SourceSnapshot): void {
    const { splitsReceived, splits } = snapshot;
    if (!Number.isSafeInteger(splitsReceived) || splitsReceived < 0 || !Array.isArray(splits) || !splits.every((position) => Number.isSafeInteger(position?.split))) {
      throw new WeirError('STATE_RESTORE_FAILED', `${this.operator}: the source position to restore needs splitsReceived and splits with integer indexes`);
    }
    this.splitsReceived = splitsReceived;
    this.resumed = splits.map((position) => ({ index: position.split as number, payload: position.payload }));
    if (typeof snapshot.watermark === 'number') this.eventTime?.restoreWatermark(snapshot.watermark);
  }

  read(maxRecords: number): SourceStatus {
    if (this.cancelled) return SOURCE_END;
    if (this.arrived !== undefined) this.startArrived();
    if (this.failure) return { kind: 'failed', error: this.failure };
    this.requestMore();
    const left = this.active.length > 0 ? this.emitRound(maxRecords) : maxRecords;
    // A split that ended made room for another.
    this.requestMore();
    if (this.active.length === 0) {
      if (this.noMoreSplits) {
        this.eventTime?.stop();
        return SOURCE_END;
      }
      return { kind: 'wait', until: this.request as Promise<void> };
    }
    return left <= 0 ? SOURCE_MORE : this.stalled();
  }

  /** The per-split watermarks `weir info` shows; null without a watermark strategy (no event time here). */
  splitWatermarks(): readonly SplitWatermark[] | null {
    return this.eventTime?.splitWatermarks() ?? null;
  }

  cancel(): void {
    this.cancelled = true;
    this.eventTime?.stop();
    for (const split of this.active) split.cursor.stop();
  }

  async close(): Promise<void> {
    this.eventTime?.stop();
    for (const split of this.active) split.cursor.stop();
    this.active.length = 0;
    const reader = this.reader;
    this.reader = null;
    try {
      await reader?.close?.();
    } catch (error) {
      throw userFunctionError(this.runtime.descriptor, 'failed in its reader\'s close()', error);
    }
  }

  /** Each split in turn takes an equal share of the budget; exhausted splits leave. Returns the budget left. */
  private emitRound(budget: number): number {
    const active = this.active;
    const count = active.length;
    const share = Math.max(1, Math.ceil(budget / count));
    const first = this.turn++ % count;
    let exhausted = false;
    for (let visited = 0; visited < count && budget > 0; visited++) {
      const split = active[(first + visited) % count];
      const taken = split.cursor.take(split.output, Math.min(share, budget));
      split.emitted += taken;
      budget -= taken;
      if (split.cursor.done) exhausted = true;
    }
    if (exhausted) this.removeExhausted();
    return budget;
  }

  private removeExhausted(): void {
    const active = this.active;
    let kept = 0;
    for (const split of active) {
      if (split.cursor.done) {
        split.cursor.stop();
        this.eventTime?.removeSplit(split.index);
      } else active[kept++] = split;
    }
    active.length = kept;
  }

  /** What a read that did not use its budget reports: more while any split has records now, else its failure or a wait. */
  private stalled(): SourceStatus {
    let waits: Promise<void>[] | null = null;
    for (const split of this.active) {
      const status = split.cursor.status();
      if (status.kind === 'more') return SOURCE_MORE;
      if (status.kind === 'failed') return status;
      if (status.kind === 'wait') (waits ??= []).push(status.until);
    }
    if (waits === null) return SOURCE_MORE;
    if (this.request) waits.push(this.request);
    return { kind: 'wait', until: waits.length === 1 ? waits[0] : Promise.race(waits) };
  }

  /** Asks for the next split while there is room for one and none is asked for or waiting. */
  private requestMore(): void {
    if (this.request || this.arrived !== undefined || this.noMoreSplits || this.failure || this.active.length >= this.concurrentSplits) return;
    this.request = requestNextSplit(this.runtime).then((answer) => {
      if (answer instanceof WeirError) this.failure = answer;
      else {
        this.arrived = answer;
        if (answer !== null) this.splitsReceived++;
      }
      this.request = null;
    });
  }

  /** Takes the answer that arrived: the end of splits, or a split to read (its cursor and outputs). */
  private startArrived(): void {
    const split = this.arrived as InputSplit | null;
    this.arrived = undefined;
    if (split === null) {
      this.noMoreSplits = true;
      return;
    }
    this.startArrivedSplit(split);
  }

  /** Starts reading a split: its cursor and outputs. */
  private startArrivedSplit(split: InputSplit): void {
    const fail = (error: unknown): WeirError =>
      new WeirError('SOURCE_READ_FAILED', `${this.operator} failed reading split ${split.index}: ${describeError(error)}`, { cause: error });
    let records: Iterable<T> | AsyncIterable<T>;
    try {
      records = (this.reader as SourceSplitReader<T, Split>).read(split.payload as Split);
    } catch (error) {
      this.failure = fail(error);
      return;
    }
    // Its outputs before its cursor: a generator supplier that throws leaves no read-ahead loop behind.
    const output = this.eventTime === null ? this.output : this.eventTime.addSplit(split.index);
    let cursor: SplitCursor<T>;
    if (records !== null && typeof records === 'object' && typeof (records as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
      cursor = new AsyncCursor((records as AsyncIterable<T>)[Symbol.asyncIterator](), fail);
    } else if (records !== null && typeof records === 'object' && typeof (records as Iterable<T>)[Symbol.iterator] === 'function') {
      cursor = new SyncCursor((records as Iterable<T>)[Symbol.iterator](), fail);
    } else {
      this.failure = new WeirError('INVALID_FUNCTION', `${this.operator}: read(split) must return an iterable or an async iterable; for split ${split.index} it returned ${String(records)}`);
      return;
    }
    this.active.push({ index: split.index, split, emitted: 0, cursor, output });
  }
}

