// A window's record with its timestamp, as evictors see it (Flink's TimestampedValue). An evicting
// window keeps its contents as a list of these (plain data: snapshots encode them as they are).
import { NO_TIMESTAMP } from '../assigners/window-assigner.ts';

export interface TimestampedValue<T> {
  readonly value: T;
  /** The record's timestamp; NO_TIMESTAMP (-Infinity) when it has none. */
  readonly timestamp: number;
}

export function hasTimestamp(element: TimestampedValue<unknown>): boolean {
  return element.timestamp > NO_TIMESTAMP;
}
