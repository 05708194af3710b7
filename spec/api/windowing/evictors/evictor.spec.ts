import test from 'ava';
import { NO_TIMESTAMP } from '../../../../api/windowing/assigners/window-assigner.ts';
import { retainWhere } from '../../../../api/windowing/evictors/evictor.ts';
import { type TimestampedValue, hasTimestamp } from '../../../../api/windowing/evictors/timestamped-value.ts';

test('retainWhere keeps the accepted elements in order, in the same array', (t) => {
  const elements: TimestampedValue<number>[] = [1, 2, 3, 4, 5, 6].map((value) => ({ value, timestamp: value }));
  const same = elements;
  retainWhere(elements, (element) => element.value % 2 === 0);
  t.is(elements, same);
  t.deepEqual(elements.map((element) => element.value), [2, 4, 6]);
  retainWhere(elements, () => false);
  t.deepEqual(elements, []);
});

test('a value has a timestamp unless it is NO_TIMESTAMP', (t) => {
  t.true(hasTimestamp({ value: 'a', timestamp: 0 }));
  t.true(hasTimestamp({ value: 'a', timestamp: -5 }));
  t.false(hasTimestamp({ value: 'a', timestamp: NO_TIMESTAMP }));
});
