// The built-in keyed aggregations as reduce functions (Flink's SumAggregator and
// ComparableAggregator): sum, min and max replace one field of the running value and keep its other
// fields from the first record of the key; minBy and maxBy keep the whole record holding the
// smallest or largest field (the earlier one on a tie). Without a field the records themselves are
// the values (a stream of numbers). The user's records are never mutated: an aggregation either
// copies each result (when every update is emitted) or copies a key's first record once and updates
// that private copy in place (when only final values are emitted).
import { WeirError } from '../../messages/errors.ts';
import type { ReduceFunction } from '../functions.ts';

export type AggregationKind = 'sum' | 'min' | 'max' | 'min-by' | 'max-by';

/** A field of a record: a property name, or an index into a tuple. */
export type FieldName = string | number;

export const AGGREGATION_NAMES: Readonly<Record<AggregationKind, string>> = { sum: 'Sum', min: 'Min', max: 'Max', 'min-by': 'Min By', 'max-by': 'Max By' };

export interface Aggregation<T> {
  readonly reduce: ReduceFunction<T>;
  /** Turns a key's first record into its running value; undefined: the record itself. */
  readonly firstValue?: (value: T) => T;
}

/**
 * The aggregation over `field` (undefined: the record itself). `inPlace`: the running value is a
 * private copy that reduce updates in place (only when updates are not emitted).
 */
export function aggregation<T>(kind: AggregationKind, field: FieldName | undefined, operator: string, inPlace: boolean): Aggregation<T> {
  if (kind === 'min-by' || kind === 'max-by') {
    const read = reader<T>(field);
    const replaces = kind === 'min-by' ? (current: T, value: T) => isLess(read(value), read(current)) : (current: T, value: T) => isLess(read(current), read(value));
    return { reduce: { reduce: (current, value) => (replaces(current, value) ? value : current) } };
  }
  const read = reader<T>(field);
  const write = field === undefined ? (_record: T, value: unknown): T => value as T : inPlace ? setField<T>(field) : copyWithField<T>(field);
  const firstValue = field !== undefined && inPlace ? (value: T): T => copyRecord(value) : undefined;
  const what = field === undefined ? 'its records' : `field ${JSON.stringify(field)}`;
  let reduce: ReduceFunction<T>;
  switch (kind) {
    case 'sum':
      reduce = {
        reduce: (current, value) => {
          const left = read(current);
          const right = read(value);
          if (typeof left !== 'number' || typeof right !== 'number') {
            // A plain error: the subtask names the operator as it runs (with the name() it was given).
            throw new TypeError(`sum needs numbers in ${what}, got ${typeof (typeof left !== 'number' ? left : right)}`);
          }
          return write(current, left + right);
        },
      };
      break;
    case 'min':
      reduce = { reduce: (current, value) => (isLess(read(value), read(current)) ? write(current, read(value)) : current) };
      break;
    case 'max':
      reduce = { reduce: (current, value) => (isLess(read(current), read(value)) ? write(current, read(value)) : current) };
      break;
    default: {
      const unknown: never = kind;
      throw new WeirError('INVALID_ARGUMENT', `${operator}: unknown aggregation ${String(unknown)}`);
    }
  }
  return firstValue ? { reduce, firstValue } : { reduce };
}

function reader<T>(field: FieldName | undefined): (value: T) => unknown {
  return field === undefined ? (value) => value : (value) => (value as Record<FieldName, unknown>)[field];
}

function isLess(left: unknown, right: unknown): boolean {
  return (left as number) < (right as number);
}

function copyRecord<T>(record: T): T {
  return (Array.isArray(record) ? record.slice() : { ...(record as object) }) as T;
}

/** A copy of `record` with `field` set: a new array for a tuple, a new object otherwise. */
function copyWithField<T>(field: FieldName): (record: T, value: unknown) => T {
  return (record, value) => {
    const copy = copyRecord(record);
    (copy as Record<FieldName, unknown>)[field] = value;
    return copy;
  };
}

function setField<T>(field: FieldName): (record: T, value: unknown) => T {
  return (record, value) => {
    (record as Record<FieldName, unknown>)[field] = value;
    return record;
  };
}
