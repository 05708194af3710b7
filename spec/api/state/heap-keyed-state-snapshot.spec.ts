import test from 'ava';
import { keyGroupOf, keyGroupRangeFor } from '../../../api/runtime/key-groups.ts';
import { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../../api/state/descriptors.ts';
import type { HeapKeyedStateBackend } from '../../../api/state/heap-keyed-state.ts';
import { type KeyGroupSnapshot, VOID_NAMESPACE } from '../../../api/state/keyed-state-backend.ts';
import { decode, encode } from '../../../messages/codec.ts';
import { WeirError } from '../../../messages/errors.ts';
import { StateTtlConfig } from '../../../api/state/ttl-config.ts';
import { AVERAGE, MAX_PARALLELISM, OPERATOR, backendOf } from './state-fixtures.ts';

const descriptors = {
  count: () => new ValueStateDescriptor<number>('count'),
  events: () => new ListStateDescriptor<string>('events'),
  tags: () => new MapStateDescriptor<number, string>('tags'),
  total: () => new ReducingStateDescriptor<number>('total', (a, b) => a + b),
  average: () => new AggregatingStateDescriptor('average', AVERAGE),
};

/** Every kind of state of a backend, made under these names. */
function statesOf(backend: HeapKeyedStateBackend<string | number>) {
  return {
    count: backend.getOrCreateKeyedState(descriptors.count()),
    events: backend.getOrCreateKeyedState(descriptors.events()),
    tags: backend.getOrCreateKeyedState(descriptors.tags()),
    total: backend.getOrCreateKeyedState(descriptors.total()),
    average: backend.getOrCreateKeyedState(descriptors.average()),
  };
}

/** Writes a key's state of every kind: values that depend on the key's index `n`. */
function fill(backend: HeapKeyedStateBackend<string | number>, key: string | number, n: number): void {
  const states = statesOf(backend);
  backend.setCurrentKey(key);
  states.count.update(n);
  states.events.addAll([`e${n}`, `f${n}`]);
  states.tags.put(n, `tag${n}`);
  states.total.add(n);
  states.total.add(1);
  states.average.add(n);
  states.average.add(n + 2);
  states.events.setCurrentNamespace('w1');
  states.events.add(`window${n}`);
  states.events.setCurrentNamespace(VOID_NAMESPACE);
}

/** What fill wrote, read back through the states. */
function read(backend: HeapKeyedStateBackend<string | number>, key: string | number): unknown {
  const states = statesOf(backend);
  backend.setCurrentKey(key);
  states.events.setCurrentNamespace('w1');
  const window = states.events.get();
  states.events.setCurrentNamespace(VOID_NAMESPACE);
  return [states.count.value(), states.events.get(), window, [...states.tags.entries()], states.total.get(), states.average.get()];
}

const expected = (n: number): unknown => [n, [`e${n}`, `f${n}`], [`window${n}`], [[n, `tag${n}`]], n + 1, n + 1];

test("a key group's snapshot is plain data: [key, namespace, value] per entry and each state's kind", (t) => {
  const backend = backendOf<string | number>();
  fill(backend, 'apple', 4);
  const group = keyGroupOf('apple', MAX_PARALLELISM);
  t.deepEqual(backend.snapshotKeyGroup(group), {
    keyGroup: group,
    states: {
      count: [['apple', '', 4]],
      events: [
        ['apple', '', ['e4', 'f4']],
        ['apple', 'w1', ['window4']],
      ],
      tags: [['apple', '', [[4, 'tag4']]]],
      total: [['apple', '', 5]],
      average: [['apple', '', [10, 2]]],
    },
    meta: {
      count: { kind: 'value', ttl: false },
      events: { kind: 'list', ttl: false },
      tags: { kind: 'map', ttl: false },
      total: { kind: 'reducing', ttl: false },
      average: { kind: 'aggregating', ttl: false },
    },
  });
  t.deepEqual(backend.snapshotKeyGroup(group === 0 ? 1 : 0).states.count, [], 'another group has none of its entries');
});

test('every kind of state survives a snapshot, the codec and a restore into a new backend', (t) => {
  const keys = ['apple', 'banana', 42, 'cherry', -7.5];
  const backend = backendOf<string | number>();
  keys.forEach((key, n) => fill(backend, key, n));
  const restored = backendOf<string | number>();
  for (let group = 0; group < MAX_PARALLELISM; group++) restored.restoreKeyGroup(decode(encode(backend.snapshotKeyGroup(group))) as KeyGroupSnapshot);
  keys.forEach((key, n) => t.deepEqual(read(restored, key), expected(n), `key ${key}`));
});

test('snapshots taken at parallelism 2 restore at parallelism 1 and 3: each key gets its state back from the backend owning its group', (t) => {
  const keys = Array.from({ length: 200 }, (_, n) => (n % 2 === 0 ? `user-${n}` : n));
  const old = [backendOf<string | number>(0, 2), backendOf<string | number>(1, 2)];
  keys.forEach((key, n) => fill(old[Math.floor((keyGroupOf(key, MAX_PARALLELISM) * 2) / MAX_PARALLELISM)], key, n));
  const snapshots: KeyGroupSnapshot[] = [];
  old.forEach((backend, index) => {
    const { start, end } = keyGroupRangeFor(index, MAX_PARALLELISM, 2);
    for (let group = start; group <= end; group++) snapshots.push(decode(encode(backend.snapshotKeyGroup(group))) as KeyGroupSnapshot);
  });

  for (const parallelism of [1, 3]) {
    const backends = Array.from({ length: parallelism }, (_, index) => backendOf<string | number>(index, parallelism));
    for (const snapshot of snapshots) {
      const owner = backends.findIndex((_, index) => {
        const { start, end } = keyGroupRangeFor(index, MAX_PARALLELISM, parallelism);
        return snapshot.keyGroup >= start && snapshot.keyGroup <= end;
      });
      backends[owner].restoreKeyGroup(snapshot);
    }
    keys.forEach((key, n) => {
      const owner = Math.floor((keyGroupOf(key, MAX_PARALLELISM) * parallelism) / MAX_PARALLELISM);
      t.deepEqual(read(backends[owner], key), expected(n), `key ${key} at parallelism ${parallelism}`);
    });
    const restoredKeys = backends.flatMap((backend) => [...backend.getKeys('count', VOID_NAMESPACE)]);
    t.is(restoredKeys.length, keys.length, `no key twice, none lost, at parallelism ${parallelism}`);
  }
});

test('state restored before it is asked for waits for the request, and later snapshots carry it meanwhile', (t) => {
  const backend = backendOf<string | number>();
  fill(backend, 'apple', 3);
  const group = keyGroupOf('apple', MAX_PARALLELISM);
  const snapshot = backend.snapshotKeyGroup(group);
  const restored = backendOf<string | number>();
  restored.restoreKeyGroup(snapshot);
  t.deepEqual([...restored.getKeys('count', VOID_NAMESPACE)], [], 'not asked for yet');
  t.deepEqual(restored.snapshotKeyGroup(group), snapshot);
  t.deepEqual(read(restored, 'apple'), expected(3));
});

test('restoring a state as another kind fails with STATE_KIND_MISMATCH, before or after it is asked for', (t) => {
  const backend = backendOf<string | number>();
  fill(backend, 'apple', 3);
  const snapshot = backend.snapshotKeyGroup(keyGroupOf('apple', MAX_PARALLELISM));

  const asked = backendOf<string | number>();
  asked.getOrCreateKeyedState(new ListStateDescriptor<number>('count'));
  const error = t.throws(() => asked.restoreKeyGroup(snapshot), { instanceOf: WeirError });
  t.is(error.code, 'STATE_KIND_MISMATCH');
  t.is(error.message, `${OPERATOR}: state "count" was snapshotted as a value state; it cannot be restored as a list state`);

  const later = backendOf<string | number>();
  later.restoreKeyGroup(snapshot);
  const withTtl = new ValueStateDescriptor<number>('count');
  withTtl.enableTimeToLive(StateTtlConfig.newBuilder(1_000).build());
  const lateError = t.throws(() => later.getOrCreateKeyedState(withTtl), { instanceOf: WeirError });
  t.is(lateError.code, 'STATE_KIND_MISMATCH');
  t.is(lateError.message, `${OPERATOR}: state "count" was snapshotted as a value state; it cannot be restored as a value state with TTL`);
});

test('a snapshot that does not fit the backend fails with STATE_RESTORE_FAILED naming the problem', (t) => {
  const backend = backendOf<string | number>(0, 2);
  const outside: KeyGroupSnapshot = { keyGroup: 100, states: {}, meta: {} };
  const cases: [KeyGroupSnapshot, string][] = [
    [outside, 'cannot restore key group 100, which this subtask does not own (0..63)'],
    [{ keyGroup: 5, states: { count: [[keyIn(6), '', 1]] }, meta: { count: { kind: 'value', ttl: false } } }, `cannot restore state "count" of key group 5: key "${keyIn(6)}" belongs to key group 6`],
    [{ keyGroup: 5, states: null as never, meta: {} }, 'the snapshot of key group 5 has no states'],
    [{ keyGroup: 5, states: { count: [] }, meta: {} }, 'the snapshot of key group 5 does not say what kind of state "count" is'],
    [{ keyGroup: 5, states: { count: [[{}, '', 1]] as never }, meta: { count: { kind: 'value', ttl: false } } }, 'cannot restore state "count" of key group 5: an entry\'s key is object, not a Key'],
  ];
  for (const [snapshot, message] of cases) {
    const error = t.throws(() => backend.restoreKeyGroup(snapshot), { instanceOf: WeirError });
    t.is(error.code, 'STATE_RESTORE_FAILED');
    t.is(error.message, `${OPERATOR}: ${message}`);
  }
  const key = keyIn(5);
  backend.restoreKeyGroup({ keyGroup: 5, states: { events: [[key, '', 'not a list']] }, meta: { events: { kind: 'list', ttl: false } } });
  const error = t.throws(() => backend.getOrCreateKeyedState(new ListStateDescriptor<string>('events')), { instanceOf: WeirError });
  t.is(error.code, 'STATE_RESTORE_FAILED');
  t.is(error.message, `${OPERATOR}: cannot restore state "events" of key group 5: the value of key "${key}" is not what a list state writes`);
});

/** A key of key group `group`. */
function keyIn(group: number): string {
  for (let n = 0; ; n++) if (keyGroupOf(`k${n}`, MAX_PARALLELISM) === group) return `k${n}`;
}
