// Timestamp assigners (Flink's TimestampAssigner): give each record its event time in ms. The
// operator that assigns timestamps (assignTimestampsAndWatermarks, or a source with a strategy) calls
// the assigner that `WatermarkStrategy.createTimestampAssigner(operator)` returns once per record,
// with the timestamp the record already carries (NO_TIMESTAMP when it has none), and then the
// generator's onEvent with the result.
import { WeirError } from '../../messages/errors.ts';
import { describeValue } from './describe-value.ts';

/** What `previousTimestamp` is for a record that carries no timestamp (Flink's Long.MIN_VALUE). */
export const NO_TIMESTAMP = Number.NEGATIVE_INFINITY;

/** `(record, previousTimestamp) => timestamp` in ms; previousTimestamp is NO_TIMESTAMP when absent. */
export type TimestampAssigner<T> = (record: T, previousTimestamp: number) => number;

/** Flink's TimestampAssigner interface, for an assigner written as an object or a class instance. */
export interface TimestampAssignerObject<T> {
  extractTimestamp(record: T, previousTimestamp: number): number;
}

export type TimestampAssignerLike<T> = TimestampAssigner<T> | TimestampAssignerObject<T>;

/** The default: keep the timestamp the record carries (Flink's RecordTimestampAssigner); unchecked. */
export function recordTimestampAssigner<T>(_record: T, previousTimestamp: number): number {
  return previousTimestamp;
}

/** Whether a value can be passed to withTimestampAssigner. */
export function isTimestampAssignerLike(value: unknown): value is TimestampAssignerLike<unknown> {
  return typeof value === 'function' || (typeof value === 'object' && value !== null && typeof (value as Partial<TimestampAssignerObject<unknown>>).extractTimestamp === 'function');
}

/**
 * The user's assigner, checked: a result that is not a finite number fails naming `operator` (e.g.
 * `operator "Timestamps" (id "timestamps-2")`). One closure per operator; per record a call and a check.
 */
export function checkedTimestampAssigner<T>(assigner: TimestampAssignerLike<T>, operator: string): TimestampAssigner<T> {
  const extract: TimestampAssigner<T> = typeof assigner === 'function' ? assigner : (record, previous) => assigner.extractTimestamp(record, previous);
  return (record, previousTimestamp) => {
    const timestamp = extract(record, previousTimestamp);
    // Whole ms, as Flink's longs: window arithmetic (maxTimestamp = end - 1) has no room for fractions.
    if (!Number.isSafeInteger(timestamp)) throw invalidTimestampError(operator, timestamp);
    return timestamp;
  };
}

function invalidTimestampError(operator: string, timestamp: unknown): WeirError {
  return new WeirError('USER_FUNCTION_FAILED', `${operator}: the timestamp assigner returned ${describeValue(timestamp)}; a timestamp must be a whole number of milliseconds`);
}
