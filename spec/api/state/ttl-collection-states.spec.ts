import test from 'ava';
import { ListStateDescriptor, MapStateDescriptor } from '../../../api/state/descriptors.ts';
import { VOID_NAMESPACE } from '../../../api/state/keyed-state-backend.ts';
import { TTL_MS, merging, setup, withTtl } from './state-fixtures.ts';

test('each list element expires on its own; a read removes the expired ones', (t) => {
  const { clock, backend, state } = setup(withTtl(new ListStateDescriptor<string>('events')));
  state.add('a');
  clock.advance(50);
  state.addAll(['b', 'c']);
  clock.advance(50);
  t.deepEqual(state.get(), ['b', 'c']);
  clock.advance(49);
  t.deepEqual(state.get(), ['b', 'c']);
  clock.advance(1);
  t.deepEqual(state.get(), []);
  t.deepEqual([...backend.getKeys('events', VOID_NAMESPACE)], [], 'a list whose elements all expired is removed');
});

test('update() gives every element a fresh expiry; with OnReadAndWrite a read restarts the expiry of the elements it returns', (t) => {
  const { clock, state } = setup(withTtl(new ListStateDescriptor<string>('events'), (builder) => builder.updateTtlOnReadAndWrite()));
  state.add('a');
  clock.advance(TTL_MS);
  state.update(['x', 'y']);
  clock.advance(60);
  t.deepEqual(state.get(), ['x', 'y']);
  clock.advance(60);
  t.deepEqual(state.get(), ['x', 'y']);
  clock.advance(TTL_MS);
  t.deepEqual(state.get(), []);
});

test('ReturnExpiredIfNotCleanedUp returns expired list elements once', (t) => {
  const { clock, state } = setup(withTtl(new ListStateDescriptor<string>('events'), (builder) => builder.returnExpiredIfNotCleanedUp()));
  state.add('old');
  clock.advance(60);
  state.add('new');
  clock.advance(40);
  t.deepEqual(state.get(), ['old', 'new']);
  t.deepEqual(state.get(), ['new']);
});

test('merging TTL list namespaces keeps each element with its own expiry and drops expired ones', (t) => {
  const { clock, state } = setup(withTtl(new ListStateDescriptor<string>('events')));
  const events = merging(state);
  events.setCurrentNamespace('w1');
  events.add('early');
  clock.advance(60);
  events.setCurrentNamespace('w2');
  events.add('late');
  clock.advance(40);
  events.mergeNamespaces('w2', ['w1']);
  t.deepEqual(events.get(), ['late']);
  clock.advance(59);
  t.deepEqual(events.get(), ['late']);
  clock.advance(1);
  t.deepEqual(events.get(), []);
});

test('each user key of a map expires on its own: get, contains and iteration skip and remove expired ones', (t) => {
  const { clock, backend, state } = setup(withTtl(new MapStateDescriptor<string, number>('counts')));
  state.put('x', 1);
  clock.advance(50);
  state.putAll([
    ['y', 2],
    ['z', 3],
  ]);
  clock.advance(50);
  t.is(state.get('x'), undefined);
  t.false(state.contains('x'));
  t.is(state.get('y'), 2);
  t.deepEqual([...state.entries()], [
    ['y', 2],
    ['z', 3],
  ]);
  state.put('y', 20);
  clock.advance(50);
  t.deepEqual([...state.keys()], ['y']);
  t.deepEqual([...state.values()], [20]);
  t.false(state.isEmpty());
  clock.advance(50);
  t.true(state.isEmpty());
  t.deepEqual([...backend.getKeys('counts', VOID_NAMESPACE)], [], 'a map whose user keys all expired is removed');
});

test('a map with OnReadAndWrite and ReturnExpiredIfNotCleanedUp: reads extend, expired user keys show once', (t) => {
  const { clock, state } = setup(withTtl(new MapStateDescriptor<string, number>('counts'), (builder) => builder.updateTtlOnReadAndWrite().returnExpiredIfNotCleanedUp()));
  state.put('read', 1);
  state.put('unread', 2);
  clock.advance(60);
  t.is(state.get('read'), 1);
  clock.advance(60);
  t.deepEqual([...state.entries()], [
    ['read', 1],
    ['unread', 2],
  ]);
  t.deepEqual([...state.entries()], [['read', 1]]);
  state.remove('read');
  t.true(state.isEmpty());
});
