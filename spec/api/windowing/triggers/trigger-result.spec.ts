import test from 'ava';
import { TriggerResult } from '../../../../api/windowing/triggers/trigger-result.ts';

test('each trigger result says whether to fire and whether to purge', (t) => {
  const flags = [TriggerResult.CONTINUE, TriggerResult.FIRE, TriggerResult.PURGE, TriggerResult.FIRE_AND_PURGE].map((result) => [
    String(result),
    result.fire,
    result.purge,
    result.isFire(),
    result.isPurge(),
  ]);
  t.deepEqual(flags, [
    ['CONTINUE', false, false, false, false],
    ['FIRE', true, false, true, false],
    ['PURGE', false, true, false, true],
    ['FIRE_AND_PURGE', true, true, true, true],
  ]);
});
