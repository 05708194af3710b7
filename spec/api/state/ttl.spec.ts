import test from 'ava';
import { keyGroupOf } from '../../../api/runtime/key-groups.ts';
import { ListStateDescriptor, MapStateDescriptor, ValueStateDescriptor } from '../../../api/state/descriptors.ts';
import { VOID_NAMESPACE } from '../../../api/state/keyed-state-backend.ts';
import type { KeyGroupSnapshot } from '../../../api/state/keyed-state-backend.ts';
import { decode, encode } from '../../../messages/codec.ts';
import { MAX_PARALLELISM, ManualClock, TTL_MS, backendOf, withTtl } from './state-fixtures.ts';

/** Keys of five different key groups. */
const KEYS = ['k1', 'k3', 'k4', 'k5', 'a'];

/** A backend on a manual clock with a TTL value state holding KEYS, all written at the same time. */
function filled(configure: Parameters<typeof withTtl>[1]) {
  const clock = new ManualClock();
  const backend = backendOf(0, 1, clock);
  const state = backend.getOrCreateKeyedState(withTtl(new ValueStateDescriptor<number>('count'), configure));
  KEYS.forEach((key, index) => {
    backend.setCurrentKey(key);
    state.update(index);
  });
  const stored = (): number => [...backend.getKeys('count', VOID_NAMESPACE)].length;
  return { clock, backend, state, stored };
}

test('incremental cleanup checks N entries per state access and removes the expired ones', (t) => {
  const { clock, backend, state, stored } = filled((builder) => builder.cleanupIncrementally(2));
  clock.advance(TTL_MS);
  backend.setCurrentKey('other');
  t.is(stored(), 5, 'no access yet');
  t.is(state.value(), undefined);
  t.is(stored(), 3);
  state.update(7);
  t.is(stored(), 2, 'two more expired ones went; "other" was added');
  state.clear();
  t.is(stored(), 0);
  state.value();
  t.is(stored(), 0, 'an access with nothing to clean is fine');
});

test('incremental cleanup keeps entries that have not expired, and goes round again', (t) => {
  const { clock, backend, state, stored } = filled((builder) => builder.cleanupIncrementally(3));
  clock.advance(TTL_MS - 1);
  backend.setCurrentKey('other');
  state.value();
  state.value();
  t.is(stored(), 5);
  clock.advance(1);
  state.value();
  state.value();
  t.is(stored(), 0, 'the cursor wrapped around to the entries it had passed');
});

test('with runCleanupForEveryRecord the cleanup also runs at every setCurrentKey; without, it does not', (t) => {
  const perRecord = filled((builder) => builder.cleanupIncrementally(1, true));
  perRecord.clock.advance(TTL_MS);
  perRecord.backend.setCurrentKey('other');
  perRecord.backend.setCurrentKey('other');
  t.is(perRecord.stored(), 3);

  const perAccess = filled((builder) => builder.cleanupIncrementally(1));
  perAccess.clock.advance(TTL_MS);
  perAccess.backend.setCurrentKey('other');
  perAccess.backend.setCurrentKey('other');
  t.is(perAccess.stored(), 5);
});

test('incremental cleanup reaches namespaced entries, list elements and map user keys', (t) => {
  const clock = new ManualClock();
  const backend = backendOf(0, 1, clock);
  const events = backend.getOrCreateKeyedState(withTtl(new ListStateDescriptor<string>('events'), (builder) => builder.cleanupIncrementally(10)));
  const tags = backend.getOrCreateKeyedState(withTtl(new MapStateDescriptor<string, number>('tags'), (builder) => builder.cleanupIncrementally(10)));
  events.setCurrentNamespace('w1');
  backend.setCurrentKey('b');
  events.add('old');
  backend.setCurrentKey('a');
  events.add('old');
  tags.put('old', 1);
  clock.advance(50);
  events.add('new');
  tags.put('new', 2);
  clock.advance(50);
  backend.setCurrentKey('c');
  events.setCurrentNamespace(VOID_NAMESPACE);
  events.clear(); // an access of each state: its cleanup share runs
  tags.clear();
  const snapshot = backend.snapshotKeyGroup(keyGroupOf('a', MAX_PARALLELISM));
  t.deepEqual(snapshot.states.events, [['a', 'w1', [['new', 1_150]]]]);
  t.deepEqual(snapshot.states.tags, [['a', VOID_NAMESPACE, [['new', 2, 1_150]]]]);
  t.deepEqual([...backend.getKeys('events', 'w1')], ['a']);
});

test('TTL states snapshot each value with its expiry, and a restored value expires when it would have', (t) => {
  const { clock, backend } = filled(undefined);
  const group = keyGroupOf('k1', MAX_PARALLELISM);
  const snapshot = decode(encode(backend.snapshotKeyGroup(group))) as KeyGroupSnapshot;
  t.deepEqual(snapshot.states.count, [['k1', VOID_NAMESPACE, [0, 1_100]]]);
  t.deepEqual(snapshot.meta.count, { kind: 'value', ttl: true });

  const restoredClock = new ManualClock();
  restoredClock.time = clock.time + TTL_MS - 1;
  const restored = backendOf(0, 1, restoredClock);
  restored.restoreKeyGroup(snapshot);
  const state = restored.getOrCreateKeyedState(withTtl(new ValueStateDescriptor<number>('count')));
  restored.setCurrentKey('k1');
  t.is(state.value(), 0);
  restoredClock.advance(1);
  t.is(state.value(), undefined);
});

test('with cleanupFullSnapshot expired entries are left out of snapshots; without, they are kept', (t) => {
  const group = keyGroupOf('k1', MAX_PARALLELISM);
  const cleaned = filled((builder) => builder.cleanupFullSnapshot());
  cleaned.clock.advance(TTL_MS);
  t.deepEqual(cleaned.backend.snapshotKeyGroup(group).states.count, []);
  t.is(cleaned.stored(), 5, 'a snapshot leaves the state as it is');

  const kept = filled(undefined);
  kept.clock.advance(TTL_MS);
  t.deepEqual(kept.backend.snapshotKeyGroup(group).states.count, [['k1', VOID_NAMESPACE, [0, 1_100]]]);
});

test('a state without TTL stores and snapshots bare values', (t) => {
  const backend = backendOf(0, 1, new ManualClock());
  const state = backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count'));
  backend.setCurrentKey('k1');
  state.update(3);
  const snapshot = backend.snapshotKeyGroup(keyGroupOf('k1', MAX_PARALLELISM));
  t.deepEqual(snapshot.states.count, [['k1', VOID_NAMESPACE, 3]]);
  t.deepEqual(snapshot.meta.count, { kind: 'value', ttl: false });
});
