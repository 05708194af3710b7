import test from 'ava';
import { MAX_WATERMARK } from '../../../../api/eventtime/watermark.ts';
import { GlobalWindow } from '../../../../api/windowing/windows/global-window.ts';
import { TimeWindow } from '../../../../api/windowing/windows/time-window.ts';

test('there is one global window, and only the end of input reaches its maxTimestamp', (t) => {
  t.is(GlobalWindow.get(), GlobalWindow.get());
  t.is(GlobalWindow.get().maxTimestamp(), MAX_WATERMARK);
  t.true(GlobalWindow.get().equals(GlobalWindow.get()));
  t.false(GlobalWindow.get().equals(new TimeWindow(0, Infinity)));
  t.is(String(GlobalWindow.get()), 'GlobalWindow');
});
