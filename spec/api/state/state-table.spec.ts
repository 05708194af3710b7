import test from 'ava';
import { VOID_NAMESPACE } from '../../../api/state/keyed-state-backend.ts';
import { StateTable } from '../../../api/state/state-table.ts';

const tablesOf = (table: StateTable<string, number>): [number, string | number, [string, number][]][] =>
  [...table.tables()].map(({ slot, namespace, entries }) => [slot, namespace, [...entries]]);

test('entries live per key group, then namespace (VOID_NAMESPACE first), then key', (t) => {
  const table = new StateTable<string, number>(3);
  table.set(2, 'w1', 'a', 1);
  table.set(0, VOID_NAMESPACE, 'b', 2);
  table.set(2, VOID_NAMESPACE, 'c', 3);
  table.set(2, 'w1', 'd', 4);
  table.set(2, 'w0', 'e', 5);
  t.deepEqual(tablesOf(table), [
    [0, VOID_NAMESPACE, [['b', 2]]],
    [2, VOID_NAMESPACE, [['c', 3]]],
    [2, 'w1', [['a', 1], ['d', 4]]],
    [2, 'w0', [['e', 5]]],
  ]);
  t.is(table.get(2, 'w1', 'd'), 4);
  t.is(table.get(2, 'w0', 'd'), undefined);
  t.is(table.get(1, VOID_NAMESPACE, 'b'), undefined);
  t.deepEqual([...table.keys('w1')], ['a', 'd']);
  t.deepEqual([...table.entries(VOID_NAMESPACE)], [['b', 2], ['c', 3]]);
});

test("a window namespace's Map goes with its last key, so finished windows leave nothing behind", (t) => {
  const table = new StateTable<string, number>(1);
  table.set(0, 'w1', 'a', 1);
  table.set(0, 'w1', 'b', 2);
  table.delete(0, 'w1', 'a');
  t.deepEqual(tablesOf(table), [[0, 'w1', [['b', 2]]]]);
  table.delete(0, 'w1', 'b');
  table.delete(0, 'w2', 'b');
  t.deepEqual(tablesOf(table), []);
});
