// What every session assigner shares (Flink's EventTimeSessionWindows, ProcessingTimeSessionWindows
// and their dynamic-gap versions): a record opens the window [time, time + gap); windows that
// overlap or touch merge (TimeWindow.mergeWindows), so a session lasts until a gap with no record.
// Session windows have any length, so they use the "start:end" namespace codec.
import { TIME_WINDOW_CODEC } from '../windows/namespace-codecs.ts';
import { TimeWindow, type MergeCallback } from '../windows/time-window.ts';
import type { WindowNamespaceCodec } from '../windows/window.ts';
import { MergingWindowAssigner } from './merging-window-assigner.ts';

export abstract class SessionWindows<T> extends MergingWindowAssigner<T, TimeWindow> {
  /** The assigner's reused result (see WindowAssigner): one window per record. */
  private readonly assigned: TimeWindow[] = [];

  /** [time, time + gap), in the reused array. */
  protected session(time: number, gap: number): readonly TimeWindow[] {
    this.assigned[0] = new TimeWindow(time, time + gap);
    return this.assigned;
  }

  mergeWindows(windows: readonly TimeWindow[], callback: MergeCallback<TimeWindow>): void {
    TimeWindow.mergeWindows(windows, callback);
  }

  getNamespaceCodec(): WindowNamespaceCodec<TimeWindow> {
    return TIME_WINDOW_CODEC;
  }
}
