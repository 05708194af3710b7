import test from 'ava';
import { pack, unpack } from 'msgpackr';
import { type Key, type KeyGroupRange, keyGroupOf, keyGroupRangeFor } from '../../../../api/runtime/key-groups.ts';
import { HeapInternalTimerService, type TimerKeyGroupSnapshot } from '../../../../api/runtime/time/heap-timer-service.ts';
import { ManualProcessingTimeService } from '../../../../api/runtime/time/manual-processing-time-service.ts';
import type { InternalTimer } from '../../../../api/runtime/time/timer-service.ts';
import { userTimerService } from '../../../../api/runtime/time/user-timer-service.ts';
import { WeirError } from '../../../../messages/errors.ts';

const MAX_PARALLELISM = 8;
const OPERATOR = 'operator "Alerts" (id "process-1")';

/** The part of a keyed state backend timers use: the current key and its group. */
class FakeKeyContext {
  key: string | undefined = undefined;
  keyGroup = -1;

  setCurrentKey(key: unknown): void {
    this.key = key as string;
    this.keyGroup = keyGroupOf(key, MAX_PARALLELISM);
  }

  getCurrentKey(): string {
    return this.key as string;
  }

  getCurrentKeyGroup(): number {
    return this.keyGroup;
  }
}

/** A timer service whose Triggerable logs `kind key/namespace@timestamp (current key)` and may act. */
function timerService(range: KeyGroupRange = { start: 0, end: MAX_PARALLELISM - 1 }, processingTime = new ManualProcessingTimeService()) {
  const keys = new FakeKeyContext();
  const fired: string[] = [];
  let onFire: ((timer: InternalTimer<string>) => void) | undefined;
  const log = (kind: string) => (timer: InternalTimer<string>) => {
    fired.push(`${kind} ${timer.key}/${timer.namespace}@${timer.timestamp} (${keys.getCurrentKey()})`);
    onFire?.(timer);
  };
  const timers = new HeapInternalTimerService<string>({
    range,
    keyContext: keys,
    processingTimeService: processingTime,
    triggerable: { onEventTime: log('event'), onProcessingTime: log('processing') },
    operator: OPERATOR,
  });
  const register = (key: string, namespace: string | number, timestamp: number, kind: 'event' | 'processing' = 'event'): void => {
    keys.setCurrentKey(key);
    if (kind === 'event') timers.registerEventTimeTimer(namespace, timestamp);
    else timers.registerProcessingTimeTimer(namespace, timestamp);
  };
  return { keys, fired, timers, register, processingTime, setOnFire: (fn: (timer: InternalTimer<string>) => void) => (onFire = fn) };
}

test('event-time timers fire in timestamp order once the watermark reaches them, with their key current', (t) => {
  const { fired, timers, register } = timerService();
  register('b', 0, 20);
  register('a', 0, 10);
  register('a', 'w', 10);
  register('c', 0, 30);
  t.is(timers.currentWatermark(), Number.NEGATIVE_INFINITY);
  timers.advanceWatermark(9);
  t.deepEqual(fired.splice(0), []);
  timers.advanceWatermark(20);
  t.deepEqual(fired.splice(0), ['event a/0@10 (a)', 'event a/w@10 (a)', 'event b/0@20 (b)']);
  t.is(timers.currentWatermark(), 20);
  t.is(timers.eventTimeTimerCount, 1);
});

test('registering the same timer twice is once; deleting it removes it', (t) => {
  const { fired, timers, register, keys } = timerService();
  register('a', 0, 10);
  register('a', 0, 10);
  register('b', 0, 10);
  t.is(timers.eventTimeTimerCount, 2);
  keys.setCurrentKey('b');
  timers.deleteEventTimeTimer(0, 10);
  timers.deleteEventTimeTimer(0, 11);
  timers.advanceWatermark(100);
  t.deepEqual(fired, ['event a/0@10 (a)']);
});

test('a timer registered while firing at or below the watermark fires in the same advance', (t) => {
  const { fired, timers, register, setOnFire } = timerService();
  setOnFire((timer) => {
    if (timer.timestamp === 10) {
      timers.registerEventTimeTimer('again', 15);
      timers.registerEventTimeTimer('now', timers.currentWatermark());
      timers.registerEventTimeTimer('later', 50);
    }
  });
  register('a', 0, 10);
  register('b', 0, 20);
  timers.advanceWatermark(20);
  t.deepEqual(fired.splice(0), ['event a/0@10 (a)', 'event a/again@15 (a)', 'event b/0@20 (b)', 'event a/now@20 (a)'], 'ties in registration order');
  timers.advanceWatermark(50);
  t.deepEqual(fired.splice(0), ['event a/later@50 (a)']);
});

test('a timer registered outside firing at the current watermark waits for the next watermark (as Flink)', (t) => {
  const { fired, timers, register } = timerService();
  timers.advanceWatermark(100);
  register('a', 0, 100);
  register('a', 0, 50);
  t.deepEqual(fired, []);
  timers.advanceWatermark(101);
  t.deepEqual(fired, ['event a/0@50 (a)', 'event a/0@100 (a)']);
});

test('processing-time timers keep one registration, for the earliest timer', (t) => {
  const { fired, timers, register, processingTime } = timerService();
  register('a', 0, 300, 'processing');
  register('b', 0, 500, 'processing');
  register('c', 0, 400, 'processing');
  t.is(processingTime.pendingCount, 1);
  t.is(processingTime.nextTimerAt, 300);
  register('d', 0, 100, 'processing');
  t.is(processingTime.pendingCount, 1, 'the registration for 300 was replaced');
  t.is(processingTime.nextTimerAt, 100);
  processingTime.advance(450);
  t.deepEqual(fired.splice(0), ['processing d/0@100 (d)', 'processing a/0@300 (a)', 'processing c/0@400 (c)']);
  t.is(processingTime.nextTimerAt, 500);
  t.is(timers.currentProcessingTime(), 450);
  processingTime.advance(500);
  t.deepEqual(fired.splice(0), ['processing b/0@500 (b)']);
  t.is(processingTime.pendingCount, 0);
});

test('a deleted processing-time timer does not fire; the callback then registers for the next', (t) => {
  const { fired, timers, register, keys, processingTime } = timerService();
  register('a', 0, 100, 'processing');
  register('b', 0, 200, 'processing');
  keys.setCurrentKey('a');
  timers.deleteProcessingTimeTimer(0, 100);
  t.is(processingTime.nextTimerAt, 100, 'the registration stays');
  processingTime.advance(150);
  t.deepEqual(fired.splice(0), []);
  t.is(processingTime.nextTimerAt, 200);
  processingTime.advance(200);
  t.deepEqual(fired.splice(0), ['processing b/0@200 (b)']);
});

test('a processing-time timer registered while firing and already due fires in the same callback', (t) => {
  const { fired, timers, register, processingTime, setOnFire } = timerService();
  setOnFire((timer) => {
    if (timer.namespace === 0) {
      timers.registerProcessingTimeTimer('due', timer.timestamp);
      timers.registerProcessingTimeTimer('next', timer.timestamp + 1000);
    }
  });
  register('a', 0, 100, 'processing');
  processingTime.advance(100);
  t.deepEqual(fired.splice(0), ['processing a/0@100 (a)', 'processing a/due@100 (a)']);
  t.is(processingTime.nextTimerAt, 1100);
  processingTime.advance(1100);
  t.deepEqual(fired.splice(0), ['processing a/next@1100 (a)']);
});

test('close cancels the processing-time registration', (t) => {
  const { fired, timers, register, processingTime } = timerService();
  register('a', 0, 100, 'processing');
  timers.close();
  processingTime.advance(1000);
  t.deepEqual(fired, []);
  t.is(timers.processingTimeTimerCount, 1, 'the timer is still state');
});

test('the user TimerService registers in one namespace', (t) => {
  const { fired, timers, keys, processingTime } = timerService();
  const user = userTimerService(timers);
  keys.setCurrentKey('k');
  user.registerEventTimeTimer(10);
  user.registerEventTimeTimer(20);
  user.deleteEventTimeTimer(20);
  user.registerProcessingTimeTimer(5);
  user.registerProcessingTimeTimer(6);
  user.deleteProcessingTimeTimer(6);
  processingTime.advance(10);
  timers.advanceWatermark(30);
  t.deepEqual(fired, ['processing k/@5 (k)', 'event k/@10 (k)']);
  t.is(user.currentWatermark(), 30);
  t.is(user.currentProcessingTime(), 10);
});

/** Registers a mixed set of timers over many keys and returns them as the expected firing log. */
function registerMany(register: (key: string, namespace: number, timestamp: number, kind: 'event' | 'processing') => void): void {
  for (let i = 0; i < 40; i++) {
    register(`key-${i}`, i % 3, 1000 + ((i * 37) % 11) * 10, 'event');
    register(`key-${i}`, 0, 5000 + ((i * 13) % 7) * 10, 'processing');
  }
}

function fireAll(timers: HeapInternalTimerService<string>, processingTime: ManualProcessingTimeService): void {
  timers.advanceWatermark(Number.POSITIVE_INFINITY);
  processingTime.advance(1_000_000);
}

test('a snapshot per key group is plain data and restores the same timers, in the same order', (t) => {
  const original = timerService();
  registerMany(original.register);
  const snapshots: TimerKeyGroupSnapshot[] = [];
  for (let group = 0; group < MAX_PARALLELISM; group++) snapshots.push(original.timers.snapshotKeyGroup(group));
  t.is(snapshots.reduce((count, snapshot) => count + snapshot.eventTimeTimers.length + snapshot.processingTimeTimers.length, 0), 80);
  const decoded = unpack(pack(snapshots)) as TimerKeyGroupSnapshot[];
  t.deepEqual(decoded, snapshots, 'msgpack round trip');
  fireAll(original.timers, original.processingTime);

  const restored = timerService();
  for (const snapshot of decoded) restored.timers.restoreKeyGroup(snapshot);
  t.is(restored.processingTime.pendingCount, 1, 'restored processing-time timers are scheduled, once');
  fireAll(restored.timers, restored.processingTime);
  const byTimestamp = (log: string[]) => log.map((line) => line.replace(/^(\w+) .*@(\d+).*$/, '$1 $2'));
  t.deepEqual(byTimestamp(restored.fired), byTimestamp(original.fired), 'the same timestamps in the same order');
  t.deepEqual([...restored.fired].sort(), [...original.fired].sort(), 'the same timers');
});

test('timers restored at another parallelism go to the subtask that owns their key group', (t) => {
  const original = timerService();
  registerMany(original.register);
  const snapshots = Array.from({ length: MAX_PARALLELISM }, (_, group) => original.timers.snapshotKeyGroup(group));
  fireAll(original.timers, original.processingTime);

  const firedBySubtasks: string[] = [];
  for (let index = 0; index < 3; index++) {
    const range = keyGroupRangeFor(index, MAX_PARALLELISM, 3);
    const subtask = timerService(range);
    for (const snapshot of snapshots) if (snapshot.keyGroup >= range.start && snapshot.keyGroup <= range.end) subtask.timers.restoreKeyGroup(snapshot);
    fireAll(subtask.timers, subtask.processingTime);
    for (const line of subtask.fired) {
      const key = /^\w+ (\S+)\//.exec(line)?.[1] as Key;
      const group = keyGroupOf(key, MAX_PARALLELISM);
      t.true(group >= range.start && group <= range.end, `${line} on subtask ${index}`);
    }
    firedBySubtasks.push(...subtask.fired);
  }
  t.deepEqual(firedBySubtasks.sort(), [...original.fired].sort());
});

test('bad timestamps, no current key, and foreign key groups are errors naming the operator', (t) => {
  const { timers, keys } = timerService({ start: 0, end: 3 });
  const noKey = t.throws(() => timers.registerEventTimeTimer(0, 10), { instanceOf: WeirError });
  t.is(noKey?.code, 'INVALID_KEY');
  t.is(noKey?.message, `${OPERATOR}: registerEventTimeTimer() needs a current key (timers are per key: use it while processing a keyed record or in onTimer)`);
  keys.setCurrentKey('a');
  for (const [call, shown] of [
    [() => timers.registerEventTimeTimer(0, Number.NaN), 'registerEventTimeTimer() needs a timestamp in ms, got NaN'],
    [() => timers.registerProcessingTimeTimer(0, '10' as unknown as number), 'registerProcessingTimeTimer() needs a timestamp in ms, got the string "10"'],
  ] as const) {
    const error = t.throws(call, { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_ARGUMENT');
    t.is(error?.message, `${OPERATOR}: ${shown}`);
  }
  const foreign = t.throws(() => timers.restoreKeyGroup({ keyGroup: 5, eventTimeTimers: [], processingTimeTimers: [] }), { instanceOf: WeirError });
  t.is(foreign?.code, 'ILLEGAL_SUBTASK_STATE');
  t.is(foreign?.message, `${OPERATOR}: restoreKeyGroup(5): key group 5 is not in this subtask's range 0..3`);
});
