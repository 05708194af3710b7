// The head of a chain: reads records from splits (or an observable) and emits them into the chain.
import type { WeirError } from '../../messages/errors.ts';
import type { SplitWatermark } from '../../messages/watermarks.ts';
import type { SnapshotContext, SourceSnapshot } from './checkpointing/snapshot.ts';

/**
 * What one read() achieved. 'more': call again. 'wait': nothing to read until `until` settles (it
 * never rejects). 'end': the input is exhausted. 'failed': the source itself failed (a bad split, an
 * observable's error); read() throws only what the chain's operators throw.
 */
export type SourceStatus =
  | { readonly kind: 'more' }
  | { readonly kind: 'wait'; readonly until: Promise<void> }
  | { readonly kind: 'end' }
  | { readonly kind: 'failed'; readonly error: WeirError };

export const SOURCE_MORE: SourceStatus = { kind: 'more' };
export const SOURCE_END: SourceStatus = { kind: 'end' };

/** Lifecycle: open() once, read() until 'end' or 'failed', cancel() any time, close() once. */
export interface SourceReader {
  open(): Promise<void>;
  /** Emits at most `maxRecords` records into the chain. */
  read(maxRecords: number): SourceStatus;
  /** Stops reading; a waiting read's promise settles. Idempotent. */
  cancel(): void;
  close(): Promise<void>;
  /**
   * Optional, for weir info: the watermark and idleness of each split the reader reads now (a reader
   * with per-split watermarks knows them). Called on the task's turn, on request only; must be cheap.
   */
  splitWatermarks?(): readonly SplitWatermark[] | null;
  /**
   * Checkpoints: the reader's position now (splits received, each unfinished split's offset), taken
   * on the task's turn between two reads. A reader without it cannot be replayed: at-most-once.
   */
  snapshotState?(context: SnapshotContext): SourceSnapshot;
  /** Before open(): resume from a snapshot's position instead of asking for splits from the start. */
  restoreState?(snapshot: SourceSnapshot): void;
}
