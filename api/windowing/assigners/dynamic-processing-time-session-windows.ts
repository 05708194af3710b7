// Processing-time session windows whose gap is a function of each record (Flink's
// DynamicProcessingTimeSessionWindows): a record opens [now, now + extract(record)).
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.ts';
import type { Trigger } from '../triggers/trigger.ts';
import type { TimeWindow } from '../windows/time-window.ts';
import { type SessionWindowTimeGapExtractorLike, gapExtractorFunction, invalidDynamicGapError } from './session-window-time-gap-extractor.ts';
import { SessionWindows } from './session-windows.ts';
import type { WindowAssignerContext } from './window-assigner.ts';

export class DynamicProcessingTimeSessionWindows<T> extends SessionWindows<T> {
  private constructor(private readonly gapOf: (element: T) => number) {
    super();
  }

  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractorLike<T>): DynamicProcessingTimeSessionWindows<T> {
    return new DynamicProcessingTimeSessionWindows(gapExtractorFunction(extractor, 'DynamicProcessingTimeSessionWindows.withDynamicGap'));
  }

  assignWindows(element: T, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    const gap = this.gapOf(element);
    if (!(typeof gap === 'number' && gap > 0 && gap < Infinity)) throw invalidDynamicGapError(this.toString(), gap);
    return this.session(context.getCurrentProcessingTime(), gap);
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  isEventTime(): boolean {
    return false;
  }

  override toString(): string {
    return 'DynamicProcessingTimeSessionWindows()';
  }
}
