import test from 'ava';
import { Queue } from '../../actors/queue.ts';

test('a queue keeps order across growth, shift and unshiftAll', (t) => {
  const queue = new Queue<number>();
  for (let i = 0; i < 40; i++) queue.push(i);
  for (let i = 0; i < 10; i++) t.is(queue.shift(), i);
  queue.unshiftAll([100, 101, 102]);
  for (let i = 40; i < 60; i++) queue.push(i);
  t.is(queue.length, 53);
  const drained = queue.drain();
  t.deepEqual(drained.slice(0, 4), [100, 101, 102, 10]);
  t.deepEqual(drained.slice(-2), [58, 59]);
  t.is(queue.length, 0);
  t.is(queue.shift(), undefined);
});

test('a queue holds undefined items and reports them by length', (t) => {
  const queue = new Queue<undefined | number>();
  queue.push(undefined);
  queue.push(1);
  t.is(queue.length, 2);
  t.deepEqual(queue.drain(), [undefined, 1]);
});
