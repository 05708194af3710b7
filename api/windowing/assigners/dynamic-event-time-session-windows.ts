// Event-time session windows whose gap is a function of each record (Flink's
// DynamicEventTimeSessionWindows): a record opens [timestamp, timestamp + extract(record)).
import { EventTimeTrigger } from '../triggers/event-time-trigger.ts';
import type { Trigger } from '../triggers/trigger.ts';
import type { TimeWindow } from '../windows/time-window.ts';
import { type SessionWindowTimeGapExtractorLike, gapExtractorFunction, invalidDynamicGapError } from './session-window-time-gap-extractor.ts';
import { SessionWindows } from './session-windows.ts';
import { type WindowAssignerContext, isValidTimestamp, missingTimestampError } from './window-assigner.ts';

export class DynamicEventTimeSessionWindows<T> extends SessionWindows<T> {
  private constructor(private readonly gapOf: (element: T) => number) {
    super();
  }

  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractorLike<T>): DynamicEventTimeSessionWindows<T> {
    return new DynamicEventTimeSessionWindows(gapExtractorFunction(extractor, 'DynamicEventTimeSessionWindows.withDynamicGap'));
  }

  assignWindows(element: T, timestamp: number, _context: WindowAssignerContext): readonly TimeWindow[] {
    if (!isValidTimestamp(timestamp)) throw missingTimestampError(this.toString(), timestamp);
    const gap = this.gapOf(element);
    if (!(typeof gap === 'number' && gap > 0 && gap < Infinity)) throw invalidDynamicGapError(this.toString(), gap);
    return this.session(timestamp, gap);
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return EventTimeTrigger.create();
  }

  isEventTime(): boolean {
    return true;
  }

  override toString(): string {
    return 'DynamicEventTimeSessionWindows()';
  }
}
