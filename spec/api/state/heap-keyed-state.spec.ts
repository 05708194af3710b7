import test from 'ava';
import { keyGroupOf, keyGroupRangeFor } from '../../../api/runtime/key-groups.ts';
import { ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../../api/state/descriptors.ts';
import { HeapKeyedStateBackend } from '../../../api/state/heap-keyed-state.ts';
import { VOID_NAMESPACE } from '../../../api/state/keyed-state-backend.ts';
import { StateTtlConfig } from '../../../api/state/ttl-config.ts';
import { WeirError } from '../../../messages/errors.ts';
import { MAX_PARALLELISM, OPERATOR, backendOf } from './state-fixtures.ts';

const WORDS = ['apple', 'banana', 'cherry', 'date', 'elder', 'fig'];

test('a value state reads and writes the value of the current key only', (t) => {
  const backend = backendOf();
  const counts = backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count'));
  backend.setCurrentKey('a');
  t.is(counts.value(), undefined);
  counts.update(1);
  backend.setCurrentKey('b');
  t.is(counts.value(), undefined);
  counts.update(5);
  backend.setCurrentKey('a');
  t.is(counts.value(), 1);
  t.is(backend.getCurrentKey(), 'a');
  counts.clear();
  t.is(counts.value(), undefined);
  backend.setCurrentKey('b');
  counts.update(undefined);
  t.deepEqual([...backend.getKeys('count', VOID_NAMESPACE)], [], 'update(undefined) clears, as Flink update(null)');
});

test('asking twice for one name gives the same state, from the backend and from the user-facing store', (t) => {
  const backend = backendOf();
  const first = backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count'));
  t.is(backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count')), first);
  t.is(backend.keyedStateStore.getState(new ValueStateDescriptor<number>('count')), first);
  const sums = backend.keyedStateStore.getReducingState(new ReducingStateDescriptor<number>('sum', (a, b) => a + b));
  t.is<object, object>(backend.getOrCreateKeyedState(new ReducingStateDescriptor<number>('sum', (a, b) => a * b)), sums);
});

test('the same name with another kind fails with STATE_KIND_MISMATCH naming the operator, the state and both kinds', (t) => {
  const backend = backendOf();
  backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count'));
  const error = t.throws(() => backend.keyedStateStore.getListState(new ListStateDescriptor<number>('count')), { instanceOf: WeirError });
  t.is(error.code, 'STATE_KIND_MISMATCH');
  t.is(error.message, `${OPERATOR}: state "count" is a value state; it cannot be used as a list state`);

  const withTtl = new MapStateDescriptor<string, number>('seen');
  withTtl.enableTimeToLive(StateTtlConfig.newBuilder(1_000).build());
  backend.getOrCreateKeyedState(withTtl);
  const ttlError = t.throws(() => backend.getOrCreateKeyedState(new MapStateDescriptor<string, number>('seen')), { instanceOf: WeirError });
  t.is(ttlError.code, 'STATE_KIND_MISMATCH');
  t.is(ttlError.message, `${OPERATOR}: state "seen" is a map state with TTL; it cannot be used as a map state`);
});

test('a key of a group the subtask does not own fails with INVALID_KEY', (t) => {
  const range = keyGroupRangeFor(0, MAX_PARALLELISM, 2);
  const backend = backendOf(0, 2);
  const foreign = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].find((key) => keyGroupOf(key, MAX_PARALLELISM) > range.end) as string;
  const error = t.throws(() => backend.setCurrentKey(foreign), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_KEY');
  t.is(
    error.message,
    `${OPERATOR}: key "${foreign}" is in key group ${keyGroupOf(foreign, MAX_PARALLELISM)}, which this subtask does not own (0..63): the key selector must return the same key for the same record every time`,
  );
  const invalid = t.throws(() => backend.setCurrentKey(null), { instanceOf: WeirError });
  t.is(invalid.code, 'INVALID_KEY');
  t.is(invalid.message, `${OPERATOR}: the key selector returned null; a key must be a string, number, boolean or bigint`);
});

test('getCurrentKeyGroup is the key group of the current key', (t) => {
  const backend = backendOf(1, 2);
  const key = WORDS.find((word) => keyGroupOf(word, MAX_PARALLELISM) >= 64) as string;
  backend.setCurrentKey(key);
  t.is(backend.getCurrentKeyGroup(), keyGroupOf(key, MAX_PARALLELISM));
});

test('getKeys lists the keys with an entry under a namespace, key group by key group', (t) => {
  const backend = backendOf();
  const state = backend.getOrCreateKeyedState(new ValueStateDescriptor<string>('word'));
  for (const word of WORDS) {
    backend.setCurrentKey(word);
    state.update(word.toUpperCase());
  }
  state.setCurrentNamespace('window-1');
  backend.setCurrentKey('fig');
  state.update('in a window');
  const byGroup = [...WORDS].sort((a, b) => keyGroupOf(a, MAX_PARALLELISM) - keyGroupOf(b, MAX_PARALLELISM));
  t.deepEqual([...backend.getKeys('word', VOID_NAMESPACE)], byGroup);
  t.deepEqual([...backend.getKeys('word', 'window-1')], ['fig']);
  t.deepEqual([...backend.getKeys('word', 'window-2')], []);
  t.deepEqual([...backend.getKeys('no such state', VOID_NAMESPACE)], []);
});

test('the user-facing store hands out states under VOID_NAMESPACE, even after the runtime set another', (t) => {
  const backend = backendOf();
  const internal = backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count'));
  backend.setCurrentKey('a');
  internal.update(1);
  internal.setCurrentNamespace('window-1');
  t.is(internal.value(), undefined);
  const user = backend.keyedStateStore.getState(new ValueStateDescriptor<number>('count'));
  t.is(user.value(), 1);
});

test("the operator's own value state lists every key's value, key group by key group", (t) => {
  const backend = backendOf();
  const state = backend.valueState<number>('reduce');
  WORDS.forEach((word, index) => {
    backend.setCurrentKey(word);
    state.update(index);
  });
  const byGroup = [...WORDS].sort((a, b) => keyGroupOf(a, MAX_PARALLELISM) - keyGroupOf(b, MAX_PARALLELISM));
  t.deepEqual([...state.entries()], byGroup.map((word) => [word, WORDS.indexOf(word)]));
  t.is(backend.valueState<number>('reduce'), state);
});

test('an unpartitioned backend (a combiner) keeps any key without hashing and cannot snapshot key groups', (t) => {
  const backend = new HeapKeyedStateBackend<string | number>(null, MAX_PARALLELISM, OPERATOR);
  const state = backend.valueState<number>('reduce');
  for (const key of ['a', 7, 'b']) {
    backend.setCurrentKey(key);
    state.update(1);
  }
  t.deepEqual([...state.entries()], [['a', 1], [7, 1], ['b', 1]]);
  t.throws(() => backend.setCurrentKey({}), { instanceOf: WeirError, message: `${OPERATOR}: the key selector returned an object {}; a key must be a string, number, boolean or bigint` });
  const error = t.throws(() => backend.snapshotKeyGroup(0), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_ARGUMENT');
  t.is(error.message, `${OPERATOR}: an unpartitioned state backend (a combiner's) cannot snapshot key groups`);
});
