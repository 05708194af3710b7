import test from 'ava';
import { MAX_WATERMARK, MIN_WATERMARK } from '../../../api/eventtime/watermark.ts';
import { cleanupTime, isElementLate, isWindowLate, needsCleanupTimer } from '../../../api/windowing/window-lateness.ts';
import { GlobalWindow } from '../../../api/windowing/windows/global-window.ts';
import { TimeWindow } from '../../../api/windowing/windows/time-window.ts';

const window = new TimeWindow(0, 1000);

test('an event-time window is late once maxTimestamp + allowedLateness <= watermark', (t) => {
  t.false(isWindowLate(window, 0, true, 998));
  t.true(isWindowLate(window, 0, true, 999), 'the watermark at maxTimestamp: the window has fired and is gone');
  t.false(isWindowLate(window, 500, true, 1498));
  t.true(isWindowLate(window, 500, true, 1499));
  t.false(isWindowLate(window, 0, true, MIN_WATERMARK));
});

test('processing-time and global windows are never late', (t) => {
  t.false(isWindowLate(window, 0, false, MAX_WATERMARK));
  t.false(isWindowLate(GlobalWindow.get(), 0, false, MAX_WATERMARK));
});

test('a record is late once timestamp + allowedLateness <= watermark, in event time only', (t) => {
  t.false(isElementLate(100, 0, true, 99));
  t.true(isElementLate(100, 0, true, 100));
  t.false(isElementLate(100, 50, true, 149));
  t.true(isElementLate(100, 50, true, 150));
  t.false(isElementLate(100, 0, false, 1000));
});

test('a window is cleaned up at maxTimestamp + allowedLateness in event time, at maxTimestamp in processing time', (t) => {
  t.is(cleanupTime(window, 0, true), 999);
  t.is(cleanupTime(window, 500, true), 1499);
  t.is(cleanupTime(window, 500, false), 999, 'processing time ignores the lateness');
  t.is(cleanupTime(GlobalWindow.get(), 500, false), MAX_WATERMARK);
});

test('only a finite cleanup time gets a timer', (t) => {
  t.true(needsCleanupTimer(999));
  t.false(needsCleanupTimer(cleanupTime(GlobalWindow.get(), 0, false)));
});
