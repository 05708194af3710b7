import test from 'ava';
import { AggregatingStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../../api/state/descriptors.ts';
import { VOID_NAMESPACE } from '../../../api/state/keyed-state-backend.ts';
import { AVERAGE, TTL_MS, merging, setup, withTtl } from './state-fixtures.ts';

test('a value expires TTL ms after it was written; with OnCreateAndWrite reading does not extend it', (t) => {
  const { clock, backend, state } = setup(withTtl(new ValueStateDescriptor<string>('last')));
  state.update('x');
  clock.advance(TTL_MS - 1);
  t.is(state.value(), 'x');
  clock.advance(1);
  t.is(state.value(), undefined);
  t.deepEqual([...backend.getKeys('last', VOID_NAMESPACE)], [], 'the expired value read is removed');
});

test('a write restarts the expiry', (t) => {
  const { clock, state } = setup(withTtl(new ValueStateDescriptor<string>('last')));
  state.update('x');
  clock.advance(60);
  state.update('y');
  clock.advance(60);
  t.is(state.value(), 'y');
  clock.advance(40);
  t.is(state.value(), undefined);
});

test('with OnReadAndWrite a read restarts the expiry too', (t) => {
  const { clock, state } = setup(withTtl(new ValueStateDescriptor<string>('last'), (builder) => builder.updateTtlOnReadAndWrite()));
  state.update('x');
  clock.advance(60);
  t.is(state.value(), 'x');
  clock.advance(60);
  t.is(state.value(), 'x');
  clock.advance(TTL_MS);
  t.is(state.value(), undefined);
});

test('ReturnExpiredIfNotCleanedUp returns an expired value that is still stored, once: the read cleans it up', (t) => {
  const { clock, state } = setup(withTtl(new ValueStateDescriptor<string>('last'), (builder) => builder.returnExpiredIfNotCleanedUp()));
  state.update('x');
  clock.advance(TTL_MS);
  t.is(state.value(), 'x');
  t.is(state.value(), undefined);
});

test('a reducing state with TTL starts afresh once its value expired, whatever the visibility', (t) => {
  for (const visibility of ['NeverReturnExpired', 'ReturnExpiredIfNotCleanedUp'] as const) {
    const { clock, state } = setup(withTtl(new ReducingStateDescriptor<number>('sum', (a, b) => a + b), (builder) => builder.setStateVisibility(visibility)));
    state.add(1);
    state.add(2);
    clock.advance(50);
    t.is(state.get(), 3, visibility);
    clock.advance(50);
    state.add(10);
    t.is(state.get(), 10, visibility);
  }
});

test('an aggregating state with TTL starts a new accumulator once the old one expired, and its writes restart the expiry', (t) => {
  const { clock, state } = setup(withTtl(new AggregatingStateDescriptor('average', AVERAGE)));
  state.add(2);
  clock.advance(60);
  state.add(4);
  clock.advance(60);
  t.is(state.get(), 3);
  clock.advance(TTL_MS);
  t.is(state.get(), undefined);
  state.add(8);
  t.is(state.get(), 8);
});

test('merging namespaces of TTL states drops expired sources and gives the result a fresh expiry', (t) => {
  const { clock, state } = setup(withTtl(new ReducingStateDescriptor<number>('sum', (a, b) => a + b)));
  const sum = merging(state);
  sum.setCurrentNamespace('w1');
  sum.add(1);
  clock.advance(60);
  sum.setCurrentNamespace('w2');
  sum.add(2);
  sum.setCurrentNamespace('w3');
  sum.add(4);
  clock.advance(50);
  sum.mergeNamespaces('w3', ['w1', 'w2']);
  t.is(sum.get(), 6, 'w1 had expired');
  clock.advance(TTL_MS - 1);
  t.is(sum.get(), 6);
  clock.advance(1);
  t.is(sum.get(), undefined);
});
