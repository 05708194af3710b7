import test from 'ava';
import { BoundedList } from '../../../../../../cluster/dispatcher/console/app/lib/bounded-list.ts';

test('a bounded list keeps the newest items, oldest first, and counts the ones it let go', (t) => {
  const list = new BoundedList<number>(3);
  list.pushAll([1, 2]);
  t.deepEqual(list.toArray(), [1, 2]);
  t.is(list.evicted, 0);
  list.pushAll([3, 4, 5]);
  t.deepEqual(list.toArray(), [3, 4, 5]);
  t.is(list.size, 3);
  t.is(list.evicted, 2);
  t.is(list.at(0), 3);
  t.is(list.at(2), 5);
  t.is(list.at(3), undefined);
  t.is(list.at(-1), undefined);
});

test('a slice of a wrapped list is in order and clamped to what is kept', (t) => {
  const list = new BoundedList<string>(4);
  list.pushAll(['a', 'b', 'c', 'd', 'e', 'f']);
  t.deepEqual(list.slice(1, 3), ['d', 'e']);
  t.deepEqual(list.slice(-5, 99), ['c', 'd', 'e', 'f']);
});

test('however many items pass through, the list never holds more than its capacity', (t) => {
  const list = new BoundedList<number>(100);
  for (let index = 0; index < 100_000; index++) list.push(index);
  t.is(list.size, 100);
  t.is(list.evicted, 99_900);
  t.is(list.at(0), 99_900);
  t.is(list.at(99), 99_999);
});

test('clear empties the list and its count; every change bumps the version', (t) => {
  const list = new BoundedList<number>(2);
  list.pushAll([1, 2, 3]);
  const before = list.version;
  list.clear();
  t.deepEqual([list.size, list.evicted, list.toArray().length], [0, 0, 0]);
  t.true(list.version > before);
});

test('a capacity below one is refused, naming it', (t) => {
  const error = t.throws(() => new BoundedList(0), { instanceOf: RangeError });
  t.is(error?.message, 'a bounded list needs a capacity of at least 1, got 0');
});
