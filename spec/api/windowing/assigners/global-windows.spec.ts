import test from 'ava';
import { GlobalWindows } from '../../../../api/windowing/assigners/global-windows.ts';
import { isMergingWindowAssigner } from '../../../../api/windowing/assigners/merging-window-assigner.ts';
import { NO_TIMESTAMP } from '../../../../api/windowing/assigners/window-assigner.ts';
import { EndOfStreamTrigger } from '../../../../api/windowing/triggers/end-of-stream-trigger.ts';
import { NeverTrigger } from '../../../../api/windowing/triggers/never-trigger.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { clockAt } from '../harness/windows.ts';

test('every record goes into the one global window, with or without a timestamp, allocating nothing', (t) => {
  const assigner = GlobalWindows.create();
  const first = assigner.assignWindows('a', 5, clockAt(0));
  t.deepEqual(first, [GlobalWindow.get()]);
  t.is(assigner.assignWindows('b', NO_TIMESTAMP, clockAt(9)), first);
  t.true(Object.isFrozen(first));
});

test('global windows are not event time, never merge, and their default trigger never fires', (t) => {
  const assigner = GlobalWindows.create();
  t.false(assigner.isEventTime());
  t.false(isMergingWindowAssigner(assigner));
  t.true(assigner.getDefaultTrigger() instanceof NeverTrigger);
  t.is(assigner.getNamespaceCodec().toNamespace(GlobalWindow.get()), 'global');
  t.is(String(assigner), 'GlobalWindows()');
});

test('createWithEndOfStreamTrigger fires the global window at the end of input', (t) => {
  t.true(GlobalWindows.createWithEndOfStreamTrigger().getDefaultTrigger() instanceof EndOfStreamTrigger);
});
