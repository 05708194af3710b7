import test from 'ava';
import { ListStateDescriptor, MapStateDescriptor } from '../../../api/state/descriptors.ts';
import { HeapOperatorStateBackend, type OperatorStateSnapshot } from '../../../api/state/operator-state.ts';
import { decode, encode } from '../../../messages/codec.ts';
import { WeirError } from '../../../messages/errors.ts';

const OPERATOR = 'operator "Offsets" (id "offsets-1")';

const offsets = new ListStateDescriptor<number>('offsets');
const members = new ListStateDescriptor<string>('members');
const rules = new MapStateDescriptor<string, number>('rules');

test("an operator list state keeps the subtask's items: add, addAll, update, clear", (t) => {
  const backend = new HeapOperatorStateBackend(OPERATOR);
  const state = backend.getListState(offsets);
  t.deepEqual(state.get(), []);
  state.add(1);
  state.addAll([2, 3]);
  t.deepEqual(state.get(), [1, 2, 3]);
  state.update([9]);
  t.deepEqual(state.get(), [9]);
  state.clear();
  t.deepEqual(state.get(), []);
  t.is(backend.getListState(offsets), state, 'one name is one state');
});

test('a broadcast state is a map; the read-only view sees its changes and fails every write with STATE_READ_ONLY', (t) => {
  const backend = new HeapOperatorStateBackend(OPERATOR);
  const state = backend.getBroadcastState(rules);
  const view = backend.getReadOnlyBroadcastState(rules);
  t.true(view.isEmpty());
  state.put('a', 1);
  state.putAll([
    ['b', 2],
    ['c', 3],
  ]);
  state.remove('c');
  t.is(view.get('a'), 1);
  t.true(view.contains('b'));
  t.false(view.contains('c'));
  t.deepEqual([...view.entries()], [
    ['a', 1],
    ['b', 2],
  ]);
  const writable = view as unknown as Record<'put' | 'putAll' | 'remove' | 'clear', (...args: unknown[]) => void>;
  for (const method of ['put', 'putAll', 'remove', 'clear'] as const) {
    const error = t.throws(() => writable[method]('a', 9), { instanceOf: WeirError });
    t.is(error.code, 'STATE_READ_ONLY');
    t.is(
      error.message,
      `${OPERATOR}: ${method}() on broadcast state "rules", which is read-only here: only processBroadcastElement() may change broadcast state, so that every subtask keeps the same`,
    );
  }
  t.is(view.get('a'), 1);
  state.clear();
  t.true(view.isEmpty());
});

test('one name with two kinds of operator state fails with STATE_KIND_MISMATCH naming both', (t) => {
  const backend = new HeapOperatorStateBackend(OPERATOR);
  backend.getListState(offsets);
  const union = t.throws(() => backend.getUnionListState(offsets), { instanceOf: WeirError });
  t.is(union.code, 'STATE_KIND_MISMATCH');
  t.is(union.message, `${OPERATOR}: operator state "offsets" is a list state; it cannot be used as a union list state`);
  const broadcast = t.throws(() => backend.getBroadcastState(new MapStateDescriptor<string, number>('offsets')), { instanceOf: WeirError });
  t.is(broadcast.message, `${OPERATOR}: operator state "offsets" is a list state; it cannot be used as a broadcast state`);
});

test('a snapshot is plain data with copies of the containers, and restores through the codec', (t) => {
  const backend = new HeapOperatorStateBackend(OPERATOR);
  backend.getListState(offsets).addAll([10, 20]);
  backend.getUnionListState(members).add('m1');
  backend.getBroadcastState(rules).put('limit', 5);
  const snapshot = backend.snapshot();
  backend.getListState(offsets).add(30);
  backend.getBroadcastState(rules).put('other', 6);
  t.deepEqual(snapshot, {
    lists: { offsets: { mode: 'split', items: [10, 20] }, members: { mode: 'union', items: ['m1'] } },
    broadcast: { rules: [['limit', 5]] },
  });

  const restored = new HeapOperatorStateBackend(OPERATOR);
  restored.restore(decode(encode(snapshot)) as OperatorStateSnapshot);
  t.deepEqual(restored.snapshot(), snapshot, 'state restored but not asked for yet is carried by snapshots');
  t.deepEqual(restored.getListState(offsets).get(), [10, 20]);
  t.deepEqual(restored.getUnionListState(members).get(), ['m1']);
  t.is(restored.getBroadcastState(rules).get('limit'), 5);

  restored.getListState(offsets).add(11);
  restored.restore(snapshot);
  t.deepEqual(restored.getListState(offsets).get(), [10, 20], 'a restore replaces what a state holds');
});

test('restoring operator state as another kind, or malformed, fails naming the state', (t) => {
  const asked = new HeapOperatorStateBackend(OPERATOR);
  asked.getUnionListState(offsets);
  const mismatch = t.throws(() => asked.restore({ lists: { offsets: { mode: 'split', items: [] } }, broadcast: {} }), { instanceOf: WeirError });
  t.is(mismatch.code, 'STATE_KIND_MISMATCH');
  t.is(mismatch.message, `${OPERATOR}: operator state "offsets" was snapshotted as a list state; it cannot be restored as a union list state`);

  const later = new HeapOperatorStateBackend(OPERATOR);
  later.restore({ lists: {}, broadcast: { offsets: [] } });
  const lateMismatch = t.throws(() => later.getListState(offsets), { instanceOf: WeirError });
  t.is(lateMismatch.message, `${OPERATOR}: operator state "offsets" was snapshotted as a broadcast state; it cannot be used as a list state`);

  const malformed = t.throws(() => later.restore({ lists: {}, broadcast: { rules: [['only a key']] as never } }), { instanceOf: WeirError });
  t.is(malformed.code, 'STATE_RESTORE_FAILED');
  t.is(malformed.message, `${OPERATOR}: cannot restore operator state "rules": a broadcast state needs [key, value] entries`);
});
