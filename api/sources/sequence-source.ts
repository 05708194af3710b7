// fromSequence(from, to): the integers from..to inclusive, as contiguous ranges (Flink's
// NumberSequenceSource). Planning cuts the range into up to SEQUENCE_SPLITS_PER_SUBTASK splits per
// subtask; the JobManager hands them out lazily, so a faster subtask reads more of them.
import { WeirError } from '../../messages/errors.ts';
import type { InputSplit } from '../../messages/job-graph.ts';
import { type SourceTransformation, defaultOperatorId } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { SplitSourceReader } from './split-reader.ts';

export const SEQUENCE_SOURCE_KIND = 'source-sequence';

/** Splits per subtask: enough for a fast subtask to take over a slow one's share. */
export const SEQUENCE_SPLITS_PER_SUBTASK = 4;

/** A split's payload: the range from..to, inclusive. */
export interface SequenceRange {
  readonly from: number;
  readonly to: number;
}

/** Cuts from..to into contiguous ranges whose sizes differ by at most one, in ascending order. */
export function sequenceSplits(from: number, to: number, parallelism: number): InputSplit[] {
  const total = to - from + 1;
  const count = Math.min(total, SEQUENCE_SPLITS_PER_SUBTASK * parallelism);
  const size = Math.floor(total / count);
  const larger = total % count;
  const splits: InputSplit[] = [];
  let start = from;
  for (let index = 0; index < count; index++) {
    const end = start + size + (index < larger ? 1 : 0) - 1;
    splits.push({ index, payload: { from: start, to: end } satisfies SequenceRange });
    start = end + 1;
  }
  return splits;
}

interface RangeCursor {
  next: number;
  readonly from: number;
  readonly to: number;
}

export class SequenceSourceReader extends SplitSourceReader<RangeCursor> {
  constructor(
    runtime: OperatorRuntime,
    private readonly output: Output<number>,
  ) {
    super(runtime);
  }

  protected parse(split: InputSplit, offset: number): RangeCursor {
    const payload = split.payload as Partial<SequenceRange> | null;
    const from = payload?.from;
    const to = payload?.to;
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || (from as number) > (to as number)) {
      throw this.invalidSplit(split, `expected { from, to } with integers from <= to, got ${JSON.stringify(split.payload)}`);
    }
    return { next: (from as number) + offset, from: from as number, to: to as number };
  }

  /** Numbers of the range already emitted. */
  protected offsetOf(cursor: RangeCursor): number {
    return cursor.next - cursor.from;
  }

  protected emit(cursor: RangeCursor, budget: number): number {
    const output = this.output;
    const start = cursor.next;
    const end = Math.min(cursor.to, start + budget - 1);
    for (let value = start; value <= end; value++) output.collect(value, undefined);
    cursor.next = end + 1;
    return end - start + 1;
  }

  protected isDone(cursor: RangeCursor): boolean {
    return cursor.next > cursor.to;
  }
}

/** Declares fromSequence(from, to); `parallelism` is the environment's at declaration. */
export function sequenceSource(index: number, from: number, to: number, parallelism: number): SourceTransformation {
  const name = 'Source: Sequence';
  const valid = Number.isSafeInteger(from) && Number.isSafeInteger(to) && from <= to && to - from < Number.MAX_SAFE_INTEGER;
  if (!valid) {
    const operator = describeOperator({ id: defaultOperatorId(SEQUENCE_SOURCE_KIND, index), name });
    throw new WeirError('INVALID_ARGUMENT', `${operator}: fromSequence needs safe integers from <= to, got ${String(from)} and ${String(to)}`);
  }
  return {
    role: 'source',
    index,
    kind: SEQUENCE_SOURCE_KIND,
    name,
    uid: undefined,
    chaining: 'always',
    parallelism,
    parallel: true,
    bounded: true,
    config: { from, to },
    planSplits: (subtasks) => sequenceSplits(from, to, subtasks),
    createReader: (runtime, output) => new SequenceSourceReader(runtime, output as Output<number>),
  };
}
