import test from 'ava';
import { holdKeyGroups } from '../../../api/operators/keyed-snapshots.ts';
import { decodeKeyGroup } from '../../../api/runtime/checkpointing/snapshot-codec.ts';
import type { HeldKeyGroups, OperatorKeyGroupSnapshot } from '../../../api/runtime/checkpointing/snapshot.ts';
import { type Key, keyGroupOf } from '../../../api/runtime/key-groups.ts';
import { HeapInternalTimerService } from '../../../api/runtime/time/heap-timer-service.ts';
import { ManualProcessingTimeService } from '../../../api/runtime/time/manual-processing-time-service.ts';
import { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../../api/state/descriptors.ts';
import type { HeapKeyedStateBackend } from '../../../api/state/heap-keyed-state.ts';
import { VOID_NAMESPACE } from '../../../api/state/keyed-state-backend.ts';
import { AVERAGE, MAX_PARALLELISM, ManualClock, TTL_MS, backendOf, withTtl } from '../state/state-fixtures.ts';

/** The asynchronous part at once: every group captured, decoded as a file's reader gets it, then let go. */
function complete(held: HeldKeyGroups): OperatorKeyGroupSnapshot[] {
  if (!held.captureUntil(Number.POSITIVE_INFINITY)) throw new Error('captureUntil(Infinity) did not capture every group');
  const groups = held.captured().map((group) => decodeKeyGroup(group, 'spec'));
  held.release();
  return groups;
}

/** Each state's entries of key `key` in the groups: state name -> [[namespace, value], ...]. */
function entriesOf(groups: readonly OperatorKeyGroupSnapshot[], key: Key): Record<string, [unknown, unknown][]> {
  const found: Record<string, [unknown, unknown][]> = {};
  for (const group of groups) {
    for (const [name, triples] of Object.entries(group.state?.states ?? {})) {
      for (const [entryKey, namespace, value] of triples) if (entryKey === key) (found[name] ??= []).push([namespace, value]);
    }
  }
  return found;
}

function valueStateOf(backend: HeapKeyedStateBackend<string>) {
  return backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count'));
}

test('the snapshot holds the values of when it was taken: later updates, removals and new keys are not in it', (t) => {
  const backend = backendOf();
  const count = valueStateOf(backend);
  for (const [key, value] of [['a', 1], ['b', 2], ['c', 3]] as const) {
    backend.setCurrentKey(key);
    count.update(value);
  }
  const held = holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: null });
  backend.setCurrentKey('a');
  count.update(10);
  backend.setCurrentKey('b');
  count.clear();
  backend.setCurrentKey('d');
  count.update(4);
  const groups = complete(held);
  t.deepEqual(
    ['a', 'b', 'c', 'd'].map((key) => entriesOf(groups, key)),
    [{ count: [[VOID_NAMESPACE, 1]] }, { count: [[VOID_NAMESPACE, 2]] }, { count: [[VOID_NAMESPACE, 3]] }, {}],
  );
  backend.setCurrentKey('a');
  t.is(count.value(), 10, 'the live state has the update');
});

test('a key removed and written again after the snapshot is in it with its old value', (t) => {
  const backend = backendOf();
  const count = valueStateOf(backend);
  backend.setCurrentKey('a');
  count.update(1);
  const held = holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: null });
  count.clear();
  count.update(2);
  t.deepEqual(entriesOf(complete(held), 'a'), { count: [[VOID_NAMESPACE, 1]] });
  t.is(count.value(), 2);
});

test('values the state changes in place after the snapshot (an accumulator, a list, a map) are in it as they were', (t) => {
  const backend = backendOf();
  const average = backend.getOrCreateKeyedState(new AggregatingStateDescriptor('average', { ...AVERAGE, add: (value: number, accumulator: [number, number]) => ((accumulator[0] += value), accumulator[1]++, accumulator) }));
  const events = backend.getOrCreateKeyedState(new ListStateDescriptor<string>('events'));
  const tags = backend.getOrCreateKeyedState(new MapStateDescriptor<string, number>('tags'));
  backend.setCurrentKey('a');
  average.add(4);
  events.add('e1');
  tags.put('x', 1);
  const held = holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: null });
  average.add(6);
  events.add('e2');
  tags.put('y', 2);
  t.deepEqual(entriesOf(complete(held), 'a'), {
    average: [[VOID_NAMESPACE, [4, 1]]],
    events: [[VOID_NAMESPACE, ['e1']]],
    tags: [[VOID_NAMESPACE, [['x', 1]]]],
  });
  t.is(average.get(), 5);
});

test('a captured group decodes to what a whole snapshot of the group writes, for every kind of state, TTL and restored ones', (t) => {
  const clock = new ManualClock();
  const backend = backendOf<string | number>(0, 1, clock);
  const states = {
    count: backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count')),
    total: backend.getOrCreateKeyedState(new ReducingStateDescriptor<number>('total', (a, b) => a + b)),
    events: backend.getOrCreateKeyedState(new ListStateDescriptor<string>('events')),
    tags: backend.getOrCreateKeyedState(new MapStateDescriptor<number, string>('tags')),
    expiring: backend.getOrCreateKeyedState(withTtl(new ValueStateDescriptor<string>('expiring'), (builder) => builder.cleanupFullSnapshot())),
  };
  const keys = Array.from({ length: 300 }, (_, n) => (n % 3 === 0 ? n : `key-${n}`));
  keys.forEach((key, n) => {
    backend.setCurrentKey(key);
    states.count.update(n);
    states.total.add(n);
    states.events.update([`e${n}`]);
    states.events.setCurrentNamespace(n % 5);
    states.events.add(`w${n}`);
    states.events.setCurrentNamespace(VOID_NAMESPACE);
    states.tags.put(n, `tag${n}`);
    if (n % 2 === 0) states.expiring.update(`x${n}`);
    if (n === 10) clock.advance(TTL_MS + 1);
  });
  // State restored but not asked for yet travels in snapshots too.
  backend.restoreKeyGroup({ keyGroup: keyGroupOf('late', MAX_PARALLELISM), states: { waiting: [['late', VOID_NAMESPACE, 'w']] }, meta: { waiting: { kind: 'value', ttl: false } } });

  const whole = Array.from({ length: MAX_PARALLELISM }, (_, group) => backend.snapshotKeyGroup(group))
    .map((snapshot) => ({ ...snapshot, states: Object.fromEntries(Object.entries(snapshot.states).filter(([, triples]) => triples.length > 0)) }))
    .filter((snapshot) => Object.keys(snapshot.states).length > 0)
    .map((snapshot) => ({ ...snapshot, meta: Object.fromEntries(Object.entries(snapshot.meta).filter(([name]) => name in snapshot.states)) }));
  const captured = complete(holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: null }));
  t.is(captured.length, whole.length);
  t.deepEqual(
    captured.map((group) => group.state),
    whole,
  );
  t.true(
    captured.every((group) => group.timers === null),
    'no timer service: no timers',
  );
  t.deepEqual(entriesOf(captured, 0).expiring, undefined, 'expired before the snapshot and cleaned up in full snapshots: left out');
  t.deepEqual(entriesOf(captured, 12).expiring?.[0]?.[1], ['x12', 1_000 + TTL_MS + 1 + TTL_MS], 'written after the clock moved: kept, with its expiry');
});

test('timers added, fired or deleted after the snapshot are in it as they were', (t) => {
  const backend = backendOf();
  const timers = new HeapInternalTimerService<string>({
    range: backend.range,
    keyContext: backend,
    processingTimeService: new ManualProcessingTimeService(),
    triggerable: { onEventTime: () => undefined, onProcessingTime: () => undefined },
    operator: 'operator "Alerts" (id "process-1")',
  });
  backend.setCurrentKey('a');
  timers.registerEventTimeTimer(VOID_NAMESPACE, 10);
  timers.registerEventTimeTimer(VOID_NAMESPACE, 20);
  backend.setCurrentKey('b');
  timers.registerProcessingTimeTimer(VOID_NAMESPACE, 30);
  const held = holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: timers as unknown as HeapInternalTimerService<Key> });
  timers.advanceWatermark(10);
  backend.setCurrentKey('a');
  timers.deleteEventTimeTimer(VOID_NAMESPACE, 20);
  timers.registerEventTimeTimer(VOID_NAMESPACE, 40);
  backend.setCurrentKey('b');
  timers.deleteProcessingTimeTimer(VOID_NAMESPACE, 30);
  const groups = complete(held);
  const timersOf = (key: string) => groups.find((group) => group.keyGroup === keyGroupOf(key, MAX_PARALLELISM))?.timers;
  t.deepEqual(timersOf('a'), { keyGroup: keyGroupOf('a', MAX_PARALLELISM), eventTimeTimers: [['a', VOID_NAMESPACE, 10], ['a', VOID_NAMESPACE, 20]], processingTimeTimers: [] });
  t.deepEqual(timersOf('b'), { keyGroup: keyGroupOf('b', MAX_PARALLELISM), eventTimeTimers: [], processingTimeTimers: [['b', VOID_NAMESPACE, 30]] });
  t.is(timers.eventTimeTimerCount, 1, 'live: the timer at 40');
});

test('two snapshots in flight each hold their own moment', (t) => {
  const backend = backendOf();
  const count = valueStateOf(backend);
  backend.setCurrentKey('a');
  count.update(1);
  const first = holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: null });
  count.update(2);
  const second = holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: null });
  count.update(3);
  t.deepEqual(entriesOf(complete(second), 'a'), { count: [[VOID_NAMESPACE, 2]] });
  t.deepEqual(entriesOf(complete(first), 'a'), { count: [[VOID_NAMESPACE, 1]] });
});

test('once the snapshot is released, its groups are no longer held: writes capture nothing and it stays as it was', (t) => {
  const backend = backendOf();
  const count = valueStateOf(backend);
  backend.setCurrentKey('a');
  count.update(1);
  const held = holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: null });
  t.is(backend.guard.holding, 1);
  held.release();
  t.is(backend.guard.holding, 0);
  t.is((count as unknown as { table: { guard: unknown } }).table.guard, null, 'the table asks nobody before a write');
  count.update(2);
  t.true(held.captureUntil(Number.POSITIVE_INFINITY));
  t.deepEqual(held.captured(), [], 'released before anything was captured: nothing');
});

test('a value that cannot be encoded fails the snapshot, not the write that touched its group', (t) => {
  const backend = backendOf();
  const state = backend.getOrCreateKeyedState(new ValueStateDescriptor<object>('odd'));
  backend.setCurrentKey('a');
  state.update({
    get broken(): never {
      throw new Error('no reading this');
    },
  });
  const held = holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: null });
  t.notThrows(() => state.update({ fine: true }));
  const error = t.throws(() => held.captureUntil(Number.POSITIVE_INFINITY));
  t.is(error?.message, 'no reading this');
  held.release();
});

test("TTL's incremental cleanup after the snapshot does not reach into it: expired list elements it drops are still in the snapshot", (t) => {
  const clock = new ManualClock();
  const backend = backendOf(0, 1, clock);
  const events = backend.getOrCreateKeyedState(withTtl(new ListStateDescriptor<string>('events'), (builder) => builder.cleanupIncrementally(10, false)));
  backend.setCurrentKey('a');
  events.add('early');
  clock.advance(TTL_MS / 2);
  events.add('late');
  const held = holdKeyGroups({ backend: backend as HeapKeyedStateBackend<Key>, timers: null });
  clock.advance(TTL_MS / 2 + 1);
  backend.setCurrentKey('b');
  events.add('other');
  t.deepEqual(entriesOf(complete(held), 'a'), { events: [[VOID_NAMESPACE, [['early', 1_000 + TTL_MS], ['late', 1_000 + TTL_MS / 2 + TTL_MS]]]] });
  backend.setCurrentKey('a');
  t.deepEqual(events.get(), ['late'], 'live: the cleanup dropped the expired element');
});
