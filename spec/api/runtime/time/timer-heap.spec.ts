import test from 'ava';
import { TimerHeap } from '../../../../api/runtime/time/timer-heap.ts';

const RANGE = { start: 4, end: 7 };

test('the same (key, namespace, timestamp) is one timer; any difference makes another', (t) => {
  const heap = new TimerHeap<string | number>(RANGE);
  t.true(heap.add('a', 0, 100, 4));
  t.false(heap.add('a', 0, 100, 4));
  t.true(heap.add('a', 1, 100, 4));
  t.true(heap.add('a', 0, 101, 4));
  t.true(heap.add('b', 0, 100, 5));
  t.true(heap.add(1, 0, 100, 6));
  t.true(heap.add('1', 0, 100, 6), 'the string "1" and the number 1 are different keys');
  t.true(heap.add('a', '0', 100, 4), 'so are the namespaces 0 and "0"');
  t.is(heap.size, 7);
});

test('timers come out in timestamp order, ties in registration order', (t) => {
  const heap = new TimerHeap<string>(RANGE);
  for (const [key, timestamp] of [
    ['c', 30],
    ['a', 10],
    ['x', 20],
    ['b', 10],
    ['y', 20],
  ] as const) {
    heap.add(key, 0, timestamp, 4);
  }
  const order: string[] = [];
  for (let timer = heap.poll(); timer !== undefined; timer = heap.poll()) order.push(`${timer.key}@${timer.timestamp}`);
  t.deepEqual(order, ['a@10', 'b@10', 'x@20', 'y@20', 'c@30']);
  t.is(heap.size, 0);
  t.is(heap.peek(), undefined);
});

test('a removed timer never comes out, and adding it again is a new timer', (t) => {
  const heap = new TimerHeap<string>(RANGE);
  heap.add('a', 0, 10, 4);
  heap.add('b', 0, 5, 4);
  t.true(heap.remove('a', 0, 10, 4));
  t.false(heap.remove('a', 0, 10, 4));
  t.false(heap.remove('zzz', 0, 10, 7));
  t.is(heap.poll()?.key, 'b');
  t.is(heap.poll(), undefined);
  t.true(heap.add('a', 0, 10, 4));
  t.is(heap.timersOfKeyGroup(4).length, 1);
});

test('a key group lists its own timers in firing order', (t) => {
  const heap = new TimerHeap<string>(RANGE);
  heap.add('a', 0, 30, 4);
  heap.add('b', 1, 10, 5);
  heap.add('a', 2, 10, 4);
  heap.add('a', 2, 20, 4);
  t.deepEqual(
    heap.timersOfKeyGroup(4).map((timer) => [timer.key, timer.namespace, timer.timestamp]),
    [
      ['a', 2, 10],
      ['a', 2, 20],
      ['a', 0, 30],
    ],
  );
  t.deepEqual(heap.timersOfKeyGroup(6), []);
});

test('random adds and removes come out as a sorted reference list does', (t) => {
  let seed = 12345;
  const random = (bound: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % bound;
  };
  const heap = new TimerHeap<number>({ start: 0, end: 3 });
  const reference = new Map<string, { key: number; timestamp: number; seq: number }>();
  let seq = 0;
  for (let step = 0; step < 5000; step++) {
    const key = random(50);
    const timestamp = random(200);
    const id = `${key}/${timestamp}`;
    if (random(3) === 0) {
      t.is(heap.remove(key, 0, timestamp, key % 4), reference.delete(id), `remove ${id}`);
    } else {
      const added = heap.add(key, 0, timestamp, key % 4);
      t.is(added, !reference.has(id), `add ${id}`);
      if (added) reference.set(id, { key, timestamp, seq: seq++ });
    }
  }
  const expected = [...reference.values()].sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq).map((timer) => `${timer.key}@${timer.timestamp}`);
  const actual: string[] = [];
  for (let timer = heap.poll(); timer !== undefined; timer = heap.poll()) actual.push(`${timer.key}@${timer.timestamp}`);
  t.deepEqual(actual, expected);
});
