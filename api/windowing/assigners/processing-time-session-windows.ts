// Processing-time session windows with a fixed gap (Flink's ProcessingTimeSessionWindows.withGap):
// a session ends after `gap` ms of the operator's clock without a record. Also the factory of the
// dynamic-gap version.
import { requirePositiveMs } from '../argument-checks.ts';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.ts';
import type { Trigger } from '../triggers/trigger.ts';
import type { TimeWindow } from '../windows/time-window.ts';
import { DynamicProcessingTimeSessionWindows } from './dynamic-processing-time-session-windows.ts';
import type { SessionWindowTimeGapExtractorLike } from './session-window-time-gap-extractor.ts';
import { SessionWindows } from './session-windows.ts';
import type { WindowAssignerContext } from './window-assigner.ts';

export class ProcessingTimeSessionWindows extends SessionWindows<unknown> {
  private constructor(readonly gap: number) {
    super();
  }

  static withGap(gap: number): ProcessingTimeSessionWindows {
    return new ProcessingTimeSessionWindows(requirePositiveMs(gap, 'gap', 'ProcessingTimeSessionWindows.withGap'));
  }

  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractorLike<T>): DynamicProcessingTimeSessionWindows<T> {
    return DynamicProcessingTimeSessionWindows.withDynamicGap(extractor);
  }

  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    return this.session(context.getCurrentProcessingTime(), this.gap);
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  isEventTime(): boolean {
    return false;
  }

  override toString(): string {
    return `ProcessingTimeSessionWindows(${this.gap})`;
  }
}
