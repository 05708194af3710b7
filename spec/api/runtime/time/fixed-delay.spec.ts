import test from 'ava';
import { WatermarkEmitter } from '../../../../api/eventtime/watermark-emitter.ts';
import { WatermarkStrategy } from '../../../../api/eventtime/watermark-strategy.ts';
import { scheduleWithFixedDelay } from '../../../../api/runtime/time/fixed-delay.ts';
import { ManualProcessingTimeService } from '../../../../api/runtime/time/manual-processing-time-service.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { RecordingStreamOutput } from '../../eventtime/recording-output.ts';

const OPERATOR = 'operator "Timestamps" (id "timestamps-1")';

test('a fixed-delay task runs every interval after the end of the previous run until cancelled', (t) => {
  const service = new ManualProcessingTimeService(5);
  const runs: number[] = [];
  const periodic = scheduleWithFixedDelay(service, 200, (at) => runs.push(at));
  service.advance(1000);
  t.deepEqual(runs, [205, 405, 605, 805]);
  periodic.cancel();
  service.advance(5000);
  t.deepEqual(runs, [205, 405, 605, 805]);
  t.is(service.pendingCount, 0);
});

test('an interval of 0 or less is refused', (t) => {
  const error = t.throws(() => scheduleWithFixedDelay(new ManualProcessingTimeService(), 0, () => {}), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_ARGUMENT');
  t.is(error?.message, 'scheduleWithFixedDelay() needs an interval of more than 0 ms, got 0');
});

test('periodic emission on the processing-time service marks an input idle at the documented bound', (t) => {
  // T = 500, I = 200: idle ceil(T/I)·I = 600 ms after the first emission that followed the last event.
  const service = new ManualProcessingTimeService();
  const context = { currentProcessingTime: () => service.getCurrentProcessingTime() };
  const strategy = WatermarkStrategy.forBoundedOutOfOrderness<number>(0).withIdleness(500);
  const generator = strategy.createWatermarkGenerator(context, OPERATOR);
  const stream = new RecordingStreamOutput();
  const output = new WatermarkEmitter(stream);
  const seen: string[] = [];
  scheduleWithFixedDelay(service, 200, (at) => {
    generator.onPeriodicEmit(output);
    for (const event of stream.take()) seen.push(`${at}: ${event}`);
  });
  service.advance(250);
  generator.onEvent(1, 7000, output);
  service.advance(2000);
  t.deepEqual(seen, ['400: wm 6999', '1000: idle'], 'the event at 250 is seen at 400; 400 + 600 = 1000');
});
