// WindowAssigner: puts each record into zero or more windows (Flink's WindowAssigner). The window
// operator calls assignWindows once per record, then for each window adds the record to the
// window's state and asks the trigger (through the MergingWindowSet first, for merging assigners).
// It scopes state and timers with getNamespaceCodec(), uses getDefaultTrigger() unless the user set
// a trigger, and isEventTime() for lateness: only event-time windows can be late.
//
// Per-record cost: the built-in assigners return an array they own and reuse, so assigning a
// tumbling window allocates at most the one window. The array is valid until the next call on the
// same assigner: iterate it at once, never keep it.
import { WeirError } from '../../../messages/errors.ts';
import { MAX_WATERMARK } from '../../eventtime/watermark.ts';
import type { Trigger } from '../triggers/trigger.ts';
import type { Window, WindowNamespaceCodec } from '../windows/window.ts';

import { NO_TIMESTAMP } from '../../eventtime/timestamp-assigner.ts';

/** The timestamp of a record that has none (Flink's Long.MIN_VALUE marker); one constant with event time's. */
export { NO_TIMESTAMP };

/** What an assigner may ask of the operator. */
export interface WindowAssignerContext {
  getCurrentProcessingTime(): number;
}

export abstract class WindowAssigner<T, W extends Window> {
  /**
   * The windows `element` belongs to. `timestamp` is the record's event time, NO_TIMESTAMP when it
   * has none (event-time assigners then fail with MISSING_TIMESTAMP). The result may be the
   * assigner's own reused array: read it before the next call.
   */
  abstract assignWindows(element: T, timestamp: number, context: WindowAssignerContext): readonly W[];

  /** The trigger used when the user sets none. */
  abstract getDefaultTrigger(): Trigger<T, W>;

  /** How the windows are stored as state namespaces (Flink's getWindowSerializer). */
  abstract getNamespaceCodec(): WindowNamespaceCodec<W>;

  /** Whether the windows are in event time (and can be late). */
  abstract isEventTime(): boolean;
}

/**
 * MISSING_TIMESTAMP for a record an event-time assigner cannot place: no timestamp (NO_TIMESTAMP,
 * undefined), NaN or an infinity.
 */
export function missingTimestampError(assigner: string, timestamp: unknown): WeirError {
  const got = timestamp === NO_TIMESTAMP || timestamp === undefined ? 'a record without a timestamp' : `a record with timestamp ${String(timestamp)}`;
  return new WeirError(
    'MISSING_TIMESTAMP',
    `${assigner} got ${got}: event-time windows need records with timestamps. Assign them with ` +
      'assignTimestampsAndWatermarks(WatermarkStrategy) before the window (or read a source that sets them), ' +
      'or use a processing-time window.',
  );
}

/** True for a timestamp an event-time window can use: a finite number. Cheap enough per record. */
export function isValidTimestamp(timestamp: number): boolean {
  return timestamp > NO_TIMESTAMP && timestamp < MAX_WATERMARK;
}
