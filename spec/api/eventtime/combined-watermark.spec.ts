import test from 'ava';
import { CombinedWatermarkStatus, PartialWatermark } from '../../../api/eventtime/combined-watermark.ts';

function combination(count: number) {
  const combined = new CombinedWatermarkStatus();
  const partials = Array.from({ length: count }, () => new PartialWatermark());
  for (const partial of partials) combined.add(partial);
  return { combined, partials };
}

test('the combined watermark is the minimum over active partials and only rises', (t) => {
  const { combined, partials } = combination(2);
  t.true(partials[0].setWatermark(10));
  t.false(combined.update(), 'partial 1 is at -Infinity');
  partials[1].setWatermark(20);
  t.true(combined.update());
  t.is(combined.combinedWatermark, 10);
  t.false(partials[0].setWatermark(5), 'a partial does not go back');
  partials[0].idle = true;
  t.true(combined.update());
  t.is(combined.combinedWatermark, 20);
  partials[0].idle = false;
  t.false(combined.update(), 'partial 0 at 10 is active again, but the combination does not go back');
  t.is(combined.combinedWatermark, 20);
});

test('all partials idle is idle, with the watermark kept; a watermark turns a partial active', (t) => {
  const { combined, partials } = combination(2);
  partials[0].setWatermark(10);
  partials[1].setWatermark(10);
  combined.update();
  partials[0].idle = true;
  partials[1].idle = true;
  t.false(combined.update());
  t.true(combined.isIdle);
  t.is(combined.combinedWatermark, 10);
  partials[1].setWatermark(30);
  t.false(partials[1].idle);
  t.true(combined.update());
  t.false(combined.isIdle);
  t.is(combined.combinedWatermark, 30);
});

test('with no partials nothing changes; a removed partial no longer counts', (t) => {
  const { combined, partials } = combination(2);
  partials[0].setWatermark(10);
  partials[1].setWatermark(50);
  combined.update();
  t.true(combined.remove(partials[0]));
  t.false(combined.remove(partials[0]));
  t.true(combined.update());
  t.is(combined.combinedWatermark, 50);
  combined.remove(partials[1]);
  t.false(combined.update());
  t.is(combined.size, 0);
  t.is(combined.combinedWatermark, 50);
});
