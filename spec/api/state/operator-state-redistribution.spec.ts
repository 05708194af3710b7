import test from 'ava';
import type { OperatorStateSnapshot } from '../../../api/state/operator-state.ts';
import { redistributeOperatorState } from '../../../api/state/operator-state-redistribution.ts';
import { WeirError } from '../../../messages/errors.ts';

const split = (items: unknown[]) => ({ mode: 'split' as const, items });
const union = (items: unknown[]) => ({ mode: 'union' as const, items });
const lists = (snapshots: OperatorStateSnapshot[], name: string): unknown[][] => snapshots.map((snapshot) => [...(snapshot.lists[name]?.items ?? [])]);

test('a list state is cut into contiguous runs, the first subtasks getting one item more', (t) => {
  const previous: OperatorStateSnapshot[] = [
    { lists: { offsets: split(['a', 'b', 'c']) }, broadcast: {} },
    { lists: { offsets: split(['d', 'e']) }, broadcast: {} },
  ];
  t.deepEqual(lists(redistributeOperatorState(previous, 3), 'offsets'), [['a', 'b'], ['c', 'd'], ['e']]);
  t.deepEqual(lists(redistributeOperatorState(previous, 1), 'offsets'), [['a', 'b', 'c', 'd', 'e']]);
  t.deepEqual(lists(redistributeOperatorState(previous, 4), 'offsets'), [['a', 'b'], ['c'], ['d'], ['e']]);
  t.deepEqual(lists(redistributeOperatorState(previous, 6), 'offsets'), [['a'], ['b'], ['c'], ['d'], ['e'], []]);
});

test("the longer runs of the next list state (in name order) start where the previous state's stopped", (t) => {
  const previous: OperatorStateSnapshot[] = [
    { lists: { b: split(['p1', 'p2']), a: split(['a', 'b', 'c']), c: split([1, 2, 3]) }, broadcast: {} },
    { lists: { b: split(['p3', 'p4']), a: split(['d', 'e']), c: split([4, 5, 6]) }, broadcast: {} },
  ];
  const next = redistributeOperatorState(previous, 3);
  t.deepEqual(lists(next, 'a'), [['a', 'b'], ['c', 'd'], ['e']], 'subtasks 0 and 1 get the extra items');
  t.deepEqual(lists(next, 'b'), [['p3'], ['p4'], ['p1', 'p2']], 'then subtask 2, where the extra items stopped');
  t.deepEqual(lists(next, 'c'), [[1, 2], [3, 4], [5, 6]], 'an even split: the next start is unchanged');
});

test('at the same parallelism each subtask keeps its own list state items, however uneven', (t) => {
  const previous: OperatorStateSnapshot[] = [
    { lists: { offsets: split(['a', 'b', 'c']) }, broadcast: {} },
    { lists: { offsets: split([]) }, broadcast: {} },
  ];
  t.deepEqual(lists(redistributeOperatorState(previous, 2), 'offsets'), [['a', 'b', 'c'], []]);
});

test('a union list state gives every subtask every item, also at the same parallelism', (t) => {
  const previous: OperatorStateSnapshot[] = [
    { lists: { members: union(['x']) }, broadcast: {} },
    { lists: { members: union(['y', 'z']) }, broadcast: {} },
  ];
  t.deepEqual(lists(redistributeOperatorState(previous, 3), 'members'), [['x', 'y', 'z'], ['x', 'y', 'z'], ['x', 'y', 'z']]);
  t.deepEqual(lists(redistributeOperatorState(previous, 2), 'members'), [['x', 'y', 'z'], ['x', 'y', 'z']]);
});

test("a broadcast state goes to new subtask i from old subtask i % old parallelism, and every list state's name to every subtask", (t) => {
  const previous: OperatorStateSnapshot[] = [
    { lists: { empty: split([]) }, broadcast: { rules: [['copy', 0]] } },
    { lists: {}, broadcast: { rules: [['copy', 1]] } },
  ];
  t.deepEqual(redistributeOperatorState(previous, 3), [
    { lists: { empty: split([]) }, broadcast: { rules: [['copy', 0]] } },
    { lists: { empty: split([]) }, broadcast: { rules: [['copy', 1]] } },
    { lists: { empty: split([]) }, broadcast: { rules: [['copy', 0]] } },
  ]);
});

test('redistribution refuses a name with two modes and a parallelism below 1', (t) => {
  const conflicting: OperatorStateSnapshot[] = [
    { lists: { offsets: split([1]) }, broadcast: {} },
    { lists: { offsets: union([2]) }, broadcast: {} },
  ];
  const mixed = t.throws(() => redistributeOperatorState(conflicting, 2), { instanceOf: WeirError });
  t.is(mixed.code, 'STATE_RESTORE_FAILED');
  t.is(mixed.message, 'operator state "offsets" is a split list state in one subtask\'s snapshot and a union list state in another\'s');
  const zero = t.throws(() => redistributeOperatorState(conflicting, 0), { instanceOf: WeirError });
  t.is(zero.code, 'INVALID_ARGUMENT');
  t.is(zero.message, 'operator state can only be redistributed over 1 or more subtasks; got 0');
});
