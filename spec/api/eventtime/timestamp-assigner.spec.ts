import test from 'ava';
import { NO_TIMESTAMP, checkedTimestampAssigner, isTimestampAssignerLike, recordTimestampAssigner } from '../../../api/eventtime/timestamp-assigner.ts';
import { WeirError } from '../../../messages/errors.ts';

const OPERATOR = 'operator "Timestamps" (id "timestamps-1")';

test('the record assigner returns the timestamp the record carries, NO_TIMESTAMP included', (t) => {
  t.is(recordTimestampAssigner('a', 42), 42);
  t.is(recordTimestampAssigner('a', NO_TIMESTAMP), Number.NEGATIVE_INFINITY);
});

test('a checked assigner passes whole-ms timestamps through, from a function or an object', (t) => {
  t.is(checkedTimestampAssigner((record: { at: number }, previous) => record.at + previous, OPERATOR)({ at: 5 }, 10), 15);
  t.is(checkedTimestampAssigner({ extractTimestamp: (record: { at: number }) => record.at }, OPERATOR)({ at: -3 }, NO_TIMESTAMP), -3);
});

test('a checked assigner fails on a fraction of a millisecond: window arithmetic is in whole ms', (t) => {
  const error = t.throws(() => checkedTimestampAssigner((record: { at: number }) => record.at, OPERATOR)({ at: 9.5 }, NO_TIMESTAMP), { instanceOf: WeirError });
  t.is(error?.message, `${OPERATOR}: the timestamp assigner returned 9.5; a timestamp must be a whole number of milliseconds`);
});

test('a checked assigner fails on a result that is not a finite number, naming the operator', (t) => {
  const assign = checkedTimestampAssigner<unknown>(() => NO_TIMESTAMP, OPERATOR);
  const error = t.throws(() => assign('record', 5), { instanceOf: WeirError });
  t.is(error?.code, 'USER_FUNCTION_FAILED');
  t.is(error?.message, `${OPERATOR}: the timestamp assigner returned -Infinity; a timestamp must be a whole number of milliseconds`);
  const bigint = t.throws(() => checkedTimestampAssigner<unknown>(() => 5n as unknown as number, OPERATOR)('record', 5), { instanceOf: WeirError });
  t.is(bigint?.message, `${OPERATOR}: the timestamp assigner returned the bigint 5; a timestamp must be a whole number of milliseconds`);
});

test('functions and objects with extractTimestamp() are assigners; nothing else is', (t) => {
  t.true(isTimestampAssignerLike(() => 1));
  t.true(isTimestampAssignerLike({ extractTimestamp: () => 1 }));
  for (const value of [null, undefined, 5, 'ts', {}, { extractTimestamp: 5 }]) t.false(isTimestampAssignerLike(value), String(value));
});
