// Periodic work on a processing-time service (Flink's scheduleWithFixedDelay, as the periodic
// watermark emission uses it): the callback runs `intervalMs` after the service's time when it was
// started, then `intervalMs` after the end of each run, so a slow turn delays, never bunches, the
// next run. The auto-watermark interval of a source or of assignTimestampsAndWatermarks is this.
import { WeirError } from '../../../messages/errors.ts';
import type { Cancellable, ProcessingTimeService } from './timer-service.ts';

/** `intervalMs` must be more than 0 (an interval of 0 means no periodic work: do not call this). */
export function scheduleWithFixedDelay(service: ProcessingTimeService, intervalMs: number, callback: (timestamp: number) => void): Cancellable {
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) throw new WeirError('INVALID_ARGUMENT', `scheduleWithFixedDelay() needs an interval of more than 0 ms, got ${intervalMs}`);
  let cancelled = false;
  const run = (timestamp: number): void => {
    if (cancelled) return;
    callback(timestamp);
    if (!cancelled) next = service.registerTimer(service.getCurrentProcessingTime() + intervalMs, run);
  };
  let next = service.registerTimer(service.getCurrentProcessingTime() + intervalMs, run);
  return {
    cancel: () => {
      cancelled = true;
      next.cancel();
    },
  };
}
