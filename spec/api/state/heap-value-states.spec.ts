import test from 'ava';
import { AggregatingStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../../api/state/descriptors.ts';
import { WeirError } from '../../../messages/errors.ts';
import { AVERAGE, OPERATOR, backendOf, merging } from './state-fixtures.ts';

test('a value state keeps one value per key and namespace: another namespace does not see it, clear removes only its own', (t) => {
  const backend = backendOf();
  const state = backend.getOrCreateKeyedState(new ValueStateDescriptor<string>('last'));
  backend.setCurrentKey('a');
  state.update('void');
  state.setCurrentNamespace('window-1');
  t.is(state.value(), undefined);
  state.update('one');
  state.setCurrentNamespace(7);
  state.update('seven');
  backend.setCurrentKey('b');
  t.is(state.value(), undefined, 'the namespace is per state, the key per backend');
  backend.setCurrentKey('a');
  state.setCurrentNamespace('window-1');
  t.is(state.value(), 'one');
  state.clear();
  t.is(state.value(), undefined);
  state.setCurrentNamespace(7);
  t.is(state.value(), 'seven');
  state.setCurrentNamespace('');
  t.is(state.value(), 'void', "namespace '' is VOID_NAMESPACE");
});

test('a reducing state combines what is added with its reduce function, per key', (t) => {
  const backend = backendOf();
  const state = backend.getOrCreateKeyedState(new ReducingStateDescriptor<number>('max', (a, b) => Math.max(a, b)));
  backend.setCurrentKey('a');
  t.is(state.get(), undefined);
  for (const value of [3, 9, 4]) state.add(value);
  backend.setCurrentKey('b');
  state.add(-1);
  t.is(state.get(), -1);
  backend.setCurrentKey('a');
  t.is(state.get(), 9);
  state.clear();
  t.is(state.get(), undefined);
});

test('a reducing state keeps what a reduce function returns, also when it updates the value in place', (t) => {
  const backend = backendOf();
  const state = backend.getOrCreateKeyedState(new ReducingStateDescriptor<number[]>('all', { reduce: (all, more) => (all.push(...more), all) }));
  backend.setCurrentKey('a');
  state.add([1]);
  state.add([2, 3]);
  t.deepEqual(state.get(), [1, 2, 3]);
});

test('an aggregating state adds into an accumulator and returns its result', (t) => {
  const backend = backendOf();
  const state = backend.getOrCreateKeyedState(new AggregatingStateDescriptor('average', AVERAGE));
  backend.setCurrentKey('a');
  t.is(state.get(), undefined);
  for (const value of [1, 2, 6]) state.add(value);
  t.is(state.get(), 3);
  backend.setCurrentKey('b');
  state.add(10);
  t.is(state.get(), 10);
});

test('merging namespaces folds the sources into the target, after what it holds, and removes the sources', (t) => {
  const backend = backendOf();
  const concat = merging(backend.getOrCreateKeyedState(new ReducingStateDescriptor<string>('concat', (a, b) => a + b)));
  const average = merging(backend.getOrCreateKeyedState(new AggregatingStateDescriptor('average', AVERAGE)));
  backend.setCurrentKey('a');
  const fill = (namespace: string, text: string, value: number): void => {
    concat.setCurrentNamespace(namespace);
    concat.add(text);
    average.setCurrentNamespace(namespace);
    average.add(value);
  };
  fill('w1', 'one', 1);
  fill('w2', 'two', 2);
  fill('w3', 'three', 6);
  backend.setCurrentKey('b');
  fill('w2', 'other key', 100);
  backend.setCurrentKey('a');
  concat.mergeNamespaces('w3', ['w1', 'w2', 'w9', 'w3']);
  average.mergeNamespaces('w3', ['w1', 'w2']);
  concat.setCurrentNamespace('w3');
  average.setCurrentNamespace('w3');
  t.is(concat.get(), 'threeonetwo');
  t.is(average.get(), 3);
  concat.setCurrentNamespace('w1');
  t.is(concat.get(), undefined);
  concat.setCurrentNamespace('w2');
  t.is(concat.get(), undefined);
  backend.setCurrentKey('b');
  t.is(concat.get(), 'other key', "another key's entries stay");

  backend.setCurrentKey('c');
  fill('w1', 'only', 5);
  concat.mergeNamespaces('w4', ['w1']);
  concat.setCurrentNamespace('w4');
  t.is(concat.get(), 'only', 'a target with no entry takes the merged sources');
});

test('a value state cannot merge namespaces', (t) => {
  const backend = backendOf();
  const state = merging(backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count')));
  backend.setCurrentKey('a');
  const error = t.throws(() => state.mergeNamespaces('w1', ['w2']), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_ARGUMENT');
  t.is(error.message, `${OPERATOR}: value state "count" cannot merge namespaces; only list, reducing and aggregating states can`);
});
