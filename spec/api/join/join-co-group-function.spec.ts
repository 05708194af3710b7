// A join as a coGroup: the cross product, first input outside, and which form of join function a
// user gave, told by its join method's parameters.
import test from 'ava';
import type { Collector, FlatJoinFunction, JoinFunction } from '../../../api/functions.ts';
import { joinAsCoGroup } from '../../../api/join/join-co-group-function.ts';

function collect<R>(run: (out: Collector<R>) => void): R[] {
  const out: R[] = [];
  run({ collect: (value) => out.push(value) });
  return out;
}

test('a JoinFunction gives one result per pair, each record of the first input with every record of the second, in order', (t) => {
  const join: JoinFunction<string, number, string> = { join: (a, b) => `${a}${b}` };
  t.deepEqual(
    collect<string>((out) => joinAsCoGroup(join).coGroup(['a', 'b'], [1, 2, 3], out)),
    ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'],
  );
});

test('a join method with a third parameter is a FlatJoinFunction: it emits through the collector, any number per pair', (t) => {
  const flat: FlatJoinFunction<string, number, string> = {
    join(a, b, out) {
      for (let n = 0; n < b; n++) out.collect(a);
    },
  };
  t.deepEqual(
    collect<string>((out) => joinAsCoGroup(flat).coGroup(['a', 'b'], [0, 2], out)),
    ['a', 'a', 'b', 'b'],
  );
});

test('an empty side joins nothing', (t) => {
  let calls = 0;
  const join: JoinFunction<string, number, string> = {
    join: () => {
      calls++;
      return '';
    },
  };
  t.deepEqual(
    collect<string>((out) => joinAsCoGroup(join).coGroup(['a'], [], out)),
    [],
  );
  t.deepEqual(
    collect<string>((out) => joinAsCoGroup(join).coGroup([], [1], out)),
    [],
  );
  t.is(calls, 0);
});

test('open() and close() reach the join function, with `this` its own', async (t) => {
  const calls: string[] = [];
  const join = {
    name: 'j',
    open(this: { name: string }) {
      calls.push(`open ${this.name}`);
    },
    join(this: { name: string }, a: string, b: string) {
      return `${this.name}:${a}${b}`;
    },
    close() {
      calls.push('close');
    },
  };
  const coGroup = joinAsCoGroup<string, string, string>(join);
  await coGroup.open?.({} as never);
  t.deepEqual(
    collect<string>((out) => coGroup.coGroup(['a'], ['b'], out)),
    ['j:ab'],
  );
  await coGroup.close?.();
  t.deepEqual(calls, ['open j', 'close']);
});

test('each pair gets records of its own: a record is copied for every pair but its last, which gets the record itself', (t) => {
  const firsts = [{ id: 'a1' }, { id: 'a2' }];
  const seconds = [{ id: 'b1' }, { id: 'b2' }];
  type Pair = [{ id: string }, { id: string }];
  const join: JoinFunction<{ id: string }, { id: string }, Pair> = { join: (a, b) => [a, b] };
  const pairs = collect<Pair>((out) => joinAsCoGroup(join).coGroup(firsts, seconds, out));
  t.deepEqual(
    pairs.map(([a, b]) => `${a.id}+${b.id}`),
    ['a1+b1', 'a1+b2', 'a2+b1', 'a2+b2'],
  );
  const objects = pairs.flat();
  t.is(new Set(objects).size, objects.length, 'no two pairs share an object');
  t.is(pairs[1][0], firsts[0]);
  t.is(pairs[3][0], firsts[1]);
  t.is(pairs[2][1], seconds[0]);
  t.is(pairs[3][1], seconds[1]);
  t.not(pairs[0][0], firsts[0]);
  t.not(pairs[0][1], seconds[0]);
});
