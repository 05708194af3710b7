import test from 'ava';
import { copyRecord } from '../../../api/runtime/copy-record.ts';

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

test('copyRecord copies nested plain data deeply and keeps primitives as they are', (t) => {
  const original = { id: 'a', n: 1, tags: ['x', { deep: [1, 2] }], when: new Date(5), bytes: new Uint8Array([1, 2]), map: new Map([['k', { v: 1 }]]), set: new Set([1]) };
  const copy = copyRecord(original);
  t.deepEqual(copy, original);
  t.not(copy.tags, original.tags);
  t.not(copy.tags[1], original.tags[1]);
  t.not(copy.when, original.when);
  t.not(copy.bytes, original.bytes);
  t.not(copy.map.get('k'), original.map.get('k'));
  t.is(copyRecord('text'), 'text');
  t.is(copyRecord(null), null);
  t.is(copyRecord(7n), 7n);
});

test('copyRecord keeps a class instance\'s prototype, so its methods still work', (t) => {
  const copy = copyRecord(new Point(3, 4));
  t.true(copy instanceof Point);
  t.is(copy.norm(), 5);
});
