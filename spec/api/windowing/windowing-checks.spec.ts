import test from 'ava';
import { EventTimeSessionWindows } from '../../../api/windowing/assigners/event-time-session-windows.ts';
import { TumblingEventTimeWindows } from '../../../api/windowing/assigners/tumbling-event-time-windows.ts';
import { CountTrigger } from '../../../api/windowing/triggers/count-trigger.ts';
import { DeltaTrigger } from '../../../api/windowing/triggers/delta-trigger.ts';
import { PurgingTrigger } from '../../../api/windowing/triggers/purging-trigger.ts';
import type { TimeWindow } from '../../../api/windowing/windows/time-window.ts';
import { checkAllowedLateness, checkTriggerFitsAssigner } from '../../../api/windowing/windowing-checks.ts';
import { throwsWeir } from './harness/windows.ts';

const delta = () => DeltaTrigger.of<unknown, TimeWindow>(1, () => 0);

test('a merging assigner takes only triggers that can merge', (t) => {
  t.notThrows(() => checkTriggerFitsAssigner(EventTimeSessionWindows.withGap(10), CountTrigger.of<TimeWindow>(3)));
  t.notThrows(() => checkTriggerFitsAssigner(TumblingEventTimeWindows.of(10), delta()), 'a window that never merges takes any trigger');
  throwsWeir(
    t,
    () => checkTriggerFitsAssigner(EventTimeSessionWindows.withGap(10), PurgingTrigger.of(delta())),
    'INVALID_PIPELINE',
    'EventTimeSessionWindows(10) merges windows, and trigger PurgingTrigger(DeltaTrigger(1)) cannot merge (canMerge() is false): a merging window assigner needs a trigger that supports merging',
  );
});

test('allowed lateness is a whole number of ms, 0 or more', (t) => {
  t.is(checkAllowedLateness(0), 0);
  t.is(checkAllowedLateness(5000), 5000);
  throwsWeir(t, () => checkAllowedLateness(-1), 'INVALID_ARGUMENT', 'allowedLateness needs a whole number of ms >= 0; got -1');
  throwsWeir(t, () => checkAllowedLateness(0.5), 'INVALID_ARGUMENT', 'allowedLateness needs a whole number of ms >= 0; got 0.5');
});
