import test from 'ava';
import { ListStateDescriptor, MapStateDescriptor } from '../../../api/state/descriptors.ts';
import { VOID_NAMESPACE } from '../../../api/state/keyed-state-backend.ts';
import { backendOf, merging } from './state-fixtures.ts';

test('a list state keeps a list per key: add, addAll, update, clear; get() is empty, never undefined, without one', (t) => {
  const backend = backendOf();
  const state = backend.getOrCreateKeyedState(new ListStateDescriptor<number>('seen'));
  backend.setCurrentKey('a');
  t.deepEqual(state.get(), []);
  t.true(Object.isFrozen(state.get()), 'the shared empty list cannot be filled by mistake');
  state.add(1);
  state.addAll([2, 3]);
  backend.setCurrentKey('b');
  state.addAll([9]);
  t.deepEqual(state.get(), [9]);
  backend.setCurrentKey('a');
  t.deepEqual(state.get(), [1, 2, 3]);
  state.update([7, 8]);
  t.deepEqual(state.get(), [7, 8]);
  state.update([]);
  t.deepEqual(state.get(), []);
  t.deepEqual([...backend.getKeys('seen', VOID_NAMESPACE)], ['b'], 'an emptied list is no entry');
  state.addAll([]);
  t.deepEqual([...backend.getKeys('seen', VOID_NAMESPACE)], ['b'], 'adding nothing makes no entry');
  backend.setCurrentKey('b');
  state.clear();
  t.deepEqual(state.get(), []);
});

test('a list state returns the stored list: valid until the next write, and the elements by reference', (t) => {
  const backend = backendOf();
  const state = backend.getOrCreateKeyedState(new ListStateDescriptor<{ n: number }>('items'));
  backend.setCurrentKey('a');
  const item = { n: 1 };
  state.add(item);
  const list = state.get();
  t.is(list[0], item);
  state.update([{ n: 2 }]);
  t.deepEqual(list, [{ n: 1 }], 'update() replaces the list; the one read before is unchanged');
});

test('list states merge namespaces by appending the sources, in order, to the target', (t) => {
  const backend = backendOf();
  const state = merging(backend.getOrCreateKeyedState(new ListStateDescriptor<string>('events')));
  backend.setCurrentKey('a');
  for (const [namespace, events] of [['w1', ['a1', 'a2']], ['w2', ['b1']], ['w3', ['c1']]] as const) {
    state.setCurrentNamespace(namespace);
    state.addAll(events);
  }
  state.mergeNamespaces('w2', ['w3', 'w1']);
  state.setCurrentNamespace('w2');
  t.deepEqual(state.get(), ['b1', 'c1', 'a1', 'a2']);
  state.setCurrentNamespace('w1');
  t.deepEqual(state.get(), []);
  t.deepEqual([...backend.getKeys('events', 'w3')], []);
});

test('a map state keeps a map per key: put, putAll, get, contains, remove, iteration, isEmpty', (t) => {
  const backend = backendOf();
  const state = backend.getOrCreateKeyedState(new MapStateDescriptor<number, string>('names'));
  backend.setCurrentKey('a');
  t.true(state.isEmpty());
  t.deepEqual([...state.entries()], []);
  state.put(1, 'one');
  state.putAll([
    [2, 'two'],
    [3, 'three'],
  ]);
  state.put(1, 'uno');
  backend.setCurrentKey('b');
  t.true(state.isEmpty());
  t.false(state.contains(1));
  backend.setCurrentKey('a');
  t.is(state.get(1), 'uno');
  t.true(state.contains(3));
  t.deepEqual([...state.entries()], [[1, 'uno'], [2, 'two'], [3, 'three']]);
  t.deepEqual([...state.keys()], [1, 2, 3]);
  t.deepEqual([...state.values()], ['uno', 'two', 'three']);
  state.remove(2);
  state.remove(99);
  t.deepEqual([...state.keys()], [1, 3]);
  state.remove(1);
  state.remove(3);
  t.true(state.isEmpty());
  t.deepEqual([...backend.getKeys('names', VOID_NAMESPACE)], [], 'removing the last user key removes the entry');
  state.put(4, 'four');
  state.clear();
  t.is(state.get(4), undefined);
});

test('a map state is scoped to the namespace too', (t) => {
  const backend = backendOf();
  const state = backend.getOrCreateKeyedState(new MapStateDescriptor<string, number>('counts'));
  backend.setCurrentKey('a');
  state.put('x', 1);
  state.setCurrentNamespace('w1');
  t.true(state.isEmpty());
  state.put('x', 2);
  state.setCurrentNamespace(VOID_NAMESPACE);
  t.is(state.get('x'), 1);
});
