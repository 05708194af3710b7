import test from 'ava';
import { BoundedOutOfOrdernessWatermarks } from '../../../api/eventtime/watermark-generators.ts';
import { WatermarksWithIdleness } from '../../../api/eventtime/watermarks-with-idleness.ts';
import { RecordingWatermarkOutput } from './recording-output.ts';

/** A generator with idleness T over bounded out-of-orderness 0, a manual clock and its output. */
function idleGenerator(timeoutMs: number) {
  const clock = { now: 0, currentProcessingTime: () => clock.now };
  const output = new RecordingWatermarkOutput();
  const generator = new WatermarksWithIdleness<string>(new BoundedOutOfOrdernessWatermarks<string>(0), timeoutMs, clock);
  return { clock, output, generator };
}

/**
 * Runs periodic emissions every `intervalMs` from `intervalMs` on, with an event just before each
 * emission until the last event, at `eventAt` (before the emission of the same ms when
 * `beforeEmission`), and returns when 'idle' was emitted after that last event. No `eventAt`: no
 * events at all.
 */
function idleMarkedAt(timeoutMs: number, intervalMs: number, eventAt: number | undefined, beforeEmission: boolean): number | undefined {
  const { clock, output, generator } = idleGenerator(timeoutMs);
  for (let now = intervalMs; now <= 20 * intervalMs + timeoutMs; now += intervalMs) {
    if (eventAt !== undefined && eventAt < now) {
      clock.now = eventAt;
      generator.onEvent('event', 1000, output);
      output.take();
      eventAt = undefined;
    }
    clock.now = now;
    if (eventAt !== undefined && eventAt > now) generator.onEvent('event', 1000, output);
    if (eventAt === now && beforeEmission) {
      generator.onEvent('event', 1000, output);
      output.take();
      eventAt = undefined;
    }
    generator.onPeriodicEmit(output);
    if (eventAt === undefined && output.events.includes('idle')) return now;
  }
  return undefined;
}

test('an input is idle ceil(T/I)·I after the first periodic emission that followed its last event', (t) => {
  // T = 500, I = 200: ceil(T/I)·I = 600.
  t.is(idleMarkedAt(500, 200, 200, true), 800, 'event at 200 seen by the emission at 200');
  t.is(idleMarkedAt(500, 200, 201, false), 1000, 'event at 201 seen by the emission at 400');
  t.is(idleMarkedAt(500, 200, 399, false), 1000, 'event at 399 seen by the emission at 400');
  t.is(idleMarkedAt(500, 200, 400, false), 1200, 'event at 400, just after its emission, seen at 600');
});

test('the delay from the last event to idle is never below T and at most ceil(T/I)·I + I', (t) => {
  for (const [timeoutMs, intervalMs] of [
    [500, 200],
    [400, 200],
    [1000, 300],
    [50, 200],
  ]) {
    const ceiling = Math.ceil(timeoutMs / intervalMs) * intervalMs;
    const delays: number[] = [];
    for (let eventAt = 3 * intervalMs; eventAt <= 4 * intervalMs; eventAt += intervalMs / 4) {
      for (const beforeEmission of [true, false]) {
        const idleAt = idleMarkedAt(timeoutMs, intervalMs, eventAt, beforeEmission);
        delays.push((idleAt as number) - eventAt);
      }
    }
    t.true(Math.min(...delays) >= timeoutMs, `T=${timeoutMs} I=${intervalMs}: ${delays.join(',')}`);
    t.is(Math.min(...delays), ceiling, `T=${timeoutMs} I=${intervalMs}: the shortest delay`);
    t.is(Math.max(...delays), ceiling + intervalMs, `T=${timeoutMs} I=${intervalMs}: the longest delay`);
  }
});

test('when I divides T the delay lies in [T, T + I]', (t) => {
  t.is(idleMarkedAt(400, 200, 200, true)! - 200, 400);
  t.is(idleMarkedAt(400, 200, 200, false)! - 200, 600);
});

test('an input that never sees an event is idle ceil(T/I)·I after the first emission', (t) => {
  t.is(idleMarkedAt(500, 200, undefined, false), 200 + 600);
});

test('idle is marked once, and the wrapped generator is not asked while idle', (t) => {
  const { clock, output, generator } = idleGenerator(150);
  clock.now = 10;
  generator.onEvent('a', 5000, output);
  for (const now of [100, 200, 300, 400]) {
    clock.now = now;
    generator.onPeriodicEmit(output);
  }
  t.deepEqual(output.take(), ['wm 4999', 'wm 4999', 'idle']);
});

test('an event marks an idle input active at once, and periodic watermarks resume', (t) => {
  const { clock, output, generator } = idleGenerator(150);
  for (const now of [100, 200, 300]) {
    clock.now = now;
    generator.onPeriodicEmit(output);
  }
  t.deepEqual(output.take(), ['wm -Infinity', 'wm -Infinity', 'idle']);
  clock.now = 350;
  generator.onEvent('a', 7000, output);
  generator.onEvent('b', 7001, output);
  t.deepEqual(output.take(), ['active'], 'once, on the first event');
  clock.now = 400;
  generator.onPeriodicEmit(output);
  t.deepEqual(output.take(), ['wm 7000']);
  for (const now of [500, 600]) {
    clock.now = now;
    generator.onPeriodicEmit(output);
  }
  t.deepEqual(output.take(), ['wm 7000', 'idle'], 'and idle again at the first emission 150 ms after the one at 400');
});
