// The coGroup's window function: a window's tagged records split back into the two inputs.
import test from 'ava';
import type { Collector } from '../../../api/functions.ts';
import { CoGroupWindowFunction } from '../../../api/join/co-group-window-function.ts';
import { type TaggedUnion, tagFirst, tagSecond, unionKeySelector } from '../../../api/join/tagged-union.ts';
import type { TimeWindow } from '../../../api/windowing/windows/time-window.ts';

test('a window\'s tagged records reach the coGroup function split by input, each side in arrival order', (t) => {
  const seen: string[] = [];
  const fn = new CoGroupWindowFunction<string, number, string, string, TimeWindow>({
    coGroup(first, second, out) {
      out.collect(`${[...first].join(',')}|${[...second].join(',')}`);
    },
  });
  const elements: TaggedUnion<string, number>[] = [tagSecond(1), tagFirst('a'), tagFirst('b'), tagSecond(2), tagFirst('c')];
  const out: Collector<string> = { collect: (value) => seen.push(value) };
  fn.process('k', {} as never, elements, out);
  fn.process('k', {} as never, [tagSecond(3)], out);
  t.deepEqual(seen, ['a,b,c|1,2', '|3']);
});

test('each tagged record is keyed by its own input\'s key selector', (t) => {
  const key = unionKeySelector((order: { customer: string }) => order.customer, (payment: { payer: string }) => payment.payer);
  t.is(key(tagFirst({ customer: 'ada' })), 'ada');
  t.is(key(tagSecond({ payer: 'bo' })), 'bo');
});
