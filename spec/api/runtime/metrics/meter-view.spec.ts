import test from 'ava';
import { METER_SAMPLE_MS, METER_WINDOW_MS, MeterView } from '../../../../api/runtime/metrics/meter-view.ts';

test('a rate is the growth per second since the first sample, until the window is full', (t) => {
  const view = new MeterView();
  view.sample(0, 0);
  t.is(view.rate(500, 500), 1000, '500 events in half a second');
  t.is(view.rate(2000, 2000), 1000);
});

test('a rate covers the last minute only: older samples fall out of the window', (t) => {
  const view = new MeterView();
  // 100 events a second for two minutes, then nothing for 30 s: half the window saw no events.
  for (let second = 0; second <= 120; second++) view.sample(second * 100, second * 1000);
  t.is(view.rate(12_000, 120_000), 100);
  for (let second = 121; second <= 150; second++) view.sample(12_000, second * 1000);
  t.is(view.rate(12_000, 150_000), 50);
  t.is(view.rate(12_000, 150_000 + METER_WINDOW_MS), 0);
});

test('samples closer than a second apart are not taken, so frequent reads cost nothing', (t) => {
  const view = new MeterView();
  view.sample(0, 0);
  view.sample(10, METER_SAMPLE_MS - 1);
  t.is(view.rate(20, 2000), 10, 'measured from the sample at 0, not the one skipped at 999 ms');
});

test('without elapsed time there is no rate', (t) => {
  t.is(new MeterView().rate(5, 100), 0);
});
