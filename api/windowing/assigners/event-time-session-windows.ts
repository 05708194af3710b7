// Event-time session windows with a fixed gap (Flink's EventTimeSessionWindows.withGap), and the
// factory of the dynamic-gap version (withDynamicGap).
import { requirePositiveMs } from '../argument-checks.ts';
import { EventTimeTrigger } from '../triggers/event-time-trigger.ts';
import type { Trigger } from '../triggers/trigger.ts';
import type { TimeWindow } from '../windows/time-window.ts';
import { DynamicEventTimeSessionWindows } from './dynamic-event-time-session-windows.ts';
import type { SessionWindowTimeGapExtractorLike } from './session-window-time-gap-extractor.ts';
import { SessionWindows } from './session-windows.ts';
import { type WindowAssignerContext, isValidTimestamp, missingTimestampError } from './window-assigner.ts';

export class EventTimeSessionWindows extends SessionWindows<unknown> {
  private constructor(readonly gap: number) {
    super();
  }

  /** Sessions that end after `gap` ms of event time without a record. */
  static withGap(gap: number): EventTimeSessionWindows {
    return new EventTimeSessionWindows(requirePositiveMs(gap, 'gap', 'EventTimeSessionWindows.withGap'));
  }

  /** Sessions whose gap each record sets (`extractor(record)` ms after it). */
  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractorLike<T>): DynamicEventTimeSessionWindows<T> {
    return DynamicEventTimeSessionWindows.withDynamicGap(extractor);
  }

  assignWindows(_element: unknown, timestamp: number, _context: WindowAssignerContext): readonly TimeWindow[] {
    if (!isValidTimestamp(timestamp)) throw missingTimestampError(this.toString(), timestamp);
    return this.session(timestamp, this.gap);
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }

  isEventTime(): boolean {
    return true;
  }

  override toString(): string {
    return `EventTimeSessionWindows(${this.gap})`;
  }
}
