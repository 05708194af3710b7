import test from 'ava';
import { RateTracker } from '../../../../../../cluster/dispatcher/console/app/lib/rates.ts';

test('a rate comes from two readings of a count; a count that went down starts over', (t) => {
  const rates = new RateTracker();
  t.is(rates.update('v', 100, 1_000), null);
  t.is(rates.update('v', 600, 2_000), 500);
  t.is(rates.update('v', 600, 2_000), 500);
  t.is(rates.update('v', 700, 2_500), 200);
  t.is(rates.update('v', 10, 3_000), null);
  t.is(rates.update('v', null, 3_500), null);
});
