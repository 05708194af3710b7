import test from 'ava';
import { KeyGroupGuard, type KeyGroupHolder } from '../../../api/state/key-group-guard.ts';
import { VOID_NAMESPACE } from '../../../api/state/keyed-state-backend.ts';
import { StateTable } from '../../../api/state/state-table.ts';

/** A holder that records which slots it captured, and a copy of what the table held there then. */
class RecordingHolder implements KeyGroupHolder {
  readonly held: Uint8Array;
  readonly captures: [slot: number, entries: [string, unknown][]][] = [];

  constructor(
    private readonly table: StateTable<string, unknown>,
    groups: number,
  ) {
    this.held = new Uint8Array(groups).fill(1);
  }

  capture(slot: number): void {
    this.captures.push([slot, structuredClone([...this.table.tablesOf(slot)].flatMap(({ entries }) => [...entries]))]);
  }
}

function guarded(groups = 3) {
  const table = new StateTable<string, unknown>(groups);
  const guard = new KeyGroupGuard(groups);
  guard.watch(table);
  return { table, guard };
}

test('a held group is captured once, just before its first write, as it was', (t) => {
  const { table, guard } = guarded();
  table.set(1, VOID_NAMESPACE, 'a', 1);
  const holder = new RecordingHolder(table, 3);
  guard.hold(holder);
  table.set(1, VOID_NAMESPACE, 'a', 2);
  table.set(1, VOID_NAMESPACE, 'b', 3);
  table.delete(1, VOID_NAMESPACE, 'a');
  t.deepEqual(holder.captures, [[1, [['a', 1]]]]);
  guard.capture(holder, 1);
  t.is(holder.captures.length, 1, "the holder's own capture skips a group captured already");
});

test('reading a primitive captures nothing; reading an object captures its group, since the caller may change it in place', (t) => {
  const { table, guard } = guarded();
  table.set(0, VOID_NAMESPACE, 'n', 7);
  table.set(2, 'w', 'acc', [1, 2]);
  const holder = new RecordingHolder(table, 3);
  guard.hold(holder);
  t.is(table.get(0, VOID_NAMESPACE, 'n'), 7);
  t.is(table.get(0, VOID_NAMESPACE, 'missing'), undefined);
  t.deepEqual(holder.captures, []);
  (table.get(2, 'w', 'acc') as number[])[0] = 99;
  t.deepEqual(holder.captures, [[2, [['acc', [1, 2]]]]]);
});

test('dropping a namespace captures every held group that has it, and only those', (t) => {
  const { table, guard } = guarded();
  table.set(0, 'w', 'a', 1);
  table.set(2, 'w', 'b', 2);
  table.set(1, 'v', 'c', 3);
  const holder = new RecordingHolder(table, 3);
  guard.hold(holder);
  table.dropNamespace('w');
  t.deepEqual(holder.captures, [
    [0, [['a', 1]]],
    [2, [['b', 2]]],
  ]);
});

test('each of two holders captures a group once, before it changes', (t) => {
  const { table, guard } = guarded(1);
  table.set(0, VOID_NAMESPACE, 'a', 1);
  const first = new RecordingHolder(table, 1);
  guard.hold(first);
  const second = new RecordingHolder(table, 1);
  guard.hold(second);
  table.set(0, VOID_NAMESPACE, 'a', 2);
  table.set(0, VOID_NAMESPACE, 'a', 3);
  t.deepEqual(first.captures, [[0, [['a', 1]]]]);
  t.deepEqual(second.captures, [[0, [['a', 1]]]]);
});

test('once the last holder let go, the table drops its guard and writes capture nothing', (t) => {
  const { table, guard } = guarded();
  const first = new RecordingHolder(table, 3);
  const second = new RecordingHolder(table, 3);
  guard.hold(first);
  guard.hold(second);
  guard.release(first);
  t.is(table.guard, guard, 'a holder is left');
  guard.release(second);
  guard.release(second);
  t.is(guard.holding, 0);
  t.is(table.guard, null);
  table.set(0, VOID_NAMESPACE, 'a', 1);
  t.deepEqual([...first.held, ...second.held], [0, 0, 0, 0, 0, 0]);
  t.deepEqual([...first.captures, ...second.captures], []);
});

test('a table watched while a holder holds groups is guarded at once (a state made after the snapshot)', (t) => {
  const guard = new KeyGroupGuard(2);
  const earlier = new StateTable<string, unknown>(2);
  guard.watch(earlier);
  const holder = new RecordingHolder(earlier, 2);
  guard.hold(holder);
  const later = new StateTable<string, unknown>(2);
  guard.watch(later);
  later.set(1, VOID_NAMESPACE, 'x', 1);
  t.deepEqual(holder.captures, [[1, []]]);
});
