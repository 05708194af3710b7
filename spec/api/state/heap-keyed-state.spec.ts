import test from 'ava';
import { keyGroupOf, keyGroupRangeFor } from '../../../api/runtime/key-groups.ts';
import { HeapKeyedStateBackend } from '../../../api/state/heap-keyed-state.ts';
import { WeirError } from '../../../messages/errors.ts';

const OPERATOR = 'operator "Sum" (id "sum-1")';

test('a value state reads and writes the value of the current key only', (t) => {
  const backend = new HeapKeyedStateBackend<string>({ start: 0, end: 127 }, 128, OPERATOR);
  const counts = backend.valueState<number>();
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
  t.is(counts.size, 1);
});

test('entries are kept per key group, so one group can be read alone (what a snapshot writes)', (t) => {
  const backend = new HeapKeyedStateBackend<string>({ start: 0, end: 127 }, 128, OPERATOR);
  const state = backend.valueState<string>();
  const words = ['apple', 'banana', 'cherry', 'date', 'elder', 'fig'];
  for (const word of words) {
    backend.setCurrentKey(word);
    state.update(word.toUpperCase());
  }
  const groups = [...new Set(words.map((word) => keyGroupOf(word, 128)))].sort((a, b) => a - b);
  t.deepEqual(
    [...state.entries()].map(([key]) => key),
    groups.flatMap((group) => words.filter((word) => keyGroupOf(word, 128) === group)),
    'every entry, key group by key group',
  );
  const group = keyGroupOf('apple', 128);
  t.is(state.keyGroup(group)?.get('apple'), 'APPLE');
});

test('a key of a group the subtask does not own fails with INVALID_KEY', (t) => {
  const range = keyGroupRangeFor(0, 128, 2);
  const backend = new HeapKeyedStateBackend<string>(range, 128, OPERATOR);
  const foreign = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].find((key) => keyGroupOf(key, 128) > range.end) as string;
  const error = t.throws(() => backend.setCurrentKey(foreign), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_KEY');
  t.is(
    error.message,
    `${OPERATOR}: key "${foreign}" is in key group ${keyGroupOf(foreign, 128)}, which this subtask does not own (0..63): the key selector must return the same key for the same record every time`,
  );
  const invalid = t.throws(() => backend.setCurrentKey(null), { instanceOf: WeirError });
  t.is(invalid.message, `${OPERATOR}: the key selector returned null; a key must be a string, number, boolean or bigint`);
});
