import test from 'ava';
import { WeirError } from '../../../../messages/errors.ts';
import { VOID_NAMESPACE } from '../../../../api/state/keyed-state-backend.ts';
import { GLOBAL_WINDOW_CODEC, TIME_WINDOW_CODEC, fixedSizeTimeWindowCodec } from '../../../../api/windowing/windows/namespace-codecs.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';

test('a time window of any size round-trips through "start:end", negative starts included', (t) => {
  for (const window of [new TimeWindow(0, 10), new TimeWindow(-3000, -1000), new TimeWindow(-5, 5), new TimeWindow(1_700_000_000_000, 1_700_000_060_000)]) {
    const namespace = TIME_WINDOW_CODEC.toNamespace(window);
    t.is(namespace, `${window.start}:${window.end}`);
    t.deepEqual(TIME_WINDOW_CODEC.fromNamespace(namespace), window);
  }
});

test('remembering recent windows never gives a window another\'s namespace', (t) => {
  const [a, b, c] = [new TimeWindow(0, 10), new TimeWindow(5, 15), new TimeWindow(-10, 0)];
  const sequence = [a, b, a, c, b, c, c, a, new TimeWindow(0, 10)];
  t.deepEqual(
    sequence.map((window) => TIME_WINDOW_CODEC.toNamespace(window)),
    ['0:10', '5:15', '0:10', '-10:0', '5:15', '-10:0', '-10:0', '0:10', '0:10'],
  );
});

test('windows of one size use their start as namespace: a number, back to the same window', (t) => {
  const codec = fixedSizeTimeWindowCodec(1000);
  t.is(codec.toNamespace(new TimeWindow(-2000, -1000)), -2000);
  t.deepEqual(codec.fromNamespace(-2000), new TimeWindow(-2000, -1000));
  t.deepEqual(codec.fromNamespace(5000), new TimeWindow(5000, 6000));
});

test('the global window is the namespace "global", never the void namespace of global state', (t) => {
  t.is(GLOBAL_WINDOW_CODEC.toNamespace(GlobalWindow.get()), 'global');
  t.not(GLOBAL_WINDOW_CODEC.toNamespace(GlobalWindow.get()), VOID_NAMESPACE);
  t.is(GLOBAL_WINDOW_CODEC.fromNamespace('global'), GlobalWindow.get());
});

test('a namespace another codec wrote fails with INVALID_ARGUMENT naming it', (t) => {
  const cases: [() => unknown, string][] = [
    [() => TIME_WINDOW_CODEC.fromNamespace(5), 'namespace 5 is not a time window ("start:end"); was the state written by another window assigner?'],
    [() => TIME_WINDOW_CODEC.fromNamespace('global'), 'namespace "global" is not a time window ("start:end"); was the state written by another window assigner?'],
    [() => TIME_WINDOW_CODEC.fromNamespace('5:'), 'namespace "5:" is not a time window ("start:end"); was the state written by another window assigner?'],
    [() => TIME_WINDOW_CODEC.fromNamespace('a:b'), 'namespace "a:b" is not a time window ("start:end"); was the state written by another window assigner?'],
    [() => fixedSizeTimeWindowCodec(1000).fromNamespace('0:1000'), 'namespace "0:1000" is not a time window of 1000 ms (its start); was the state written by another window assigner?'],
    [() => GLOBAL_WINDOW_CODEC.fromNamespace(0), 'namespace 0 is not the global window ("global"); was the state written by another window assigner?'],
  ];
  for (const [decode, message] of cases) {
    const error = t.throws(decode, { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_ARGUMENT');
    t.is(error?.message, message);
  }
});
