// What tumbling and sliding assigners share, in event and in processing time (Flink's
// TumblingEventTimeWindows, SlidingProcessingTimeWindows, ...): fixed-size windows whose starts are
// aligned to the epoch plus an offset, one every `slide` ms (slide == size: tumbling). Windows of
// one size use the start as their namespace. Results go into the assigner's own array, reused from
// record to record (see WindowAssigner).
import { EventTimeTrigger } from '../triggers/event-time-trigger.ts';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.ts';
import type { Trigger } from '../triggers/trigger.ts';
import { fixedSizeTimeWindowCodec } from '../windows/namespace-codecs.ts';
import { TimeWindow } from '../windows/time-window.ts';
import type { WindowNamespaceCodec } from '../windows/window.ts';
import { WindowAssigner, type WindowAssignerContext, isValidTimestamp, missingTimestampError } from './window-assigner.ts';

export abstract class AlignedTimeWindows extends WindowAssigner<unknown, TimeWindow> {
  private readonly assigned: TimeWindow[] = [];
  private readonly codec: WindowNamespaceCodec<TimeWindow>;

  protected constructor(
    private readonly name: string,
    readonly size: number,
    readonly slide: number,
    readonly offset: number,
    private readonly eventTime: boolean,
  ) {
    super();
    this.codec = fixedSizeTimeWindowCodec(size);
  }

  /** By the record's timestamp (event time; MISSING_TIMESTAMP without one) or by the clock at its arrival. */
  assignWindows(_element: unknown, timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    let time: number;
    if (this.eventTime) {
      if (!isValidTimestamp(timestamp)) throw missingTimestampError(this.toString(), timestamp);
      time = timestamp;
    } else {
      time = context.getCurrentProcessingTime();
    }
    return this.slide === this.size ? assignTumbling(this.assigned, time, this.size, this.offset) : assignSliding(this.assigned, time, this.size, this.slide, this.offset);
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return this.eventTime ? EventTimeTrigger.create() : ProcessingTimeTrigger.create();
  }

  getNamespaceCodec(): WindowNamespaceCodec<TimeWindow> {
    return this.codec;
  }

  isEventTime(): boolean {
    return this.eventTime;
  }

  override toString(): string {
    return `${this.name}(${this.size}${this.slide === this.size ? '' : `, ${this.slide}`}${this.offset === 0 ? '' : `, offset ${this.offset}`})`;
  }
}

/**
 * The one tumbling window `time` falls in, in `assigned[0]`. The window of the previous call is
 * kept when `time` still falls in it. Worth it, measured here (20 M calls, 1 s windows): 7 ns per
 * record in order with 1000 records per window against 22 ns allocating a window per record, and no
 * garbage; when every record lands in a new window the check costs about 2 ns (24 against 22 ns).
 */
export function assignTumbling(assigned: TimeWindow[], time: number, size: number, offset: number): readonly TimeWindow[] {
  const last = assigned[0];
  if (last !== undefined && time >= last.start && time < last.end) return assigned;
  const start = TimeWindow.getWindowStartWithOffset(time, offset, size);
  assigned[0] = new TimeWindow(start, start + size);
  return assigned;
}

/**
 * Every sliding window `time` falls in, latest start first (Flink's order): starts are aligned to
 * the slide, and a window [start, start + size) holds `time` while start > time - size. With a slide
 * larger than the size a record between two windows belongs to none.
 */
export function assignSliding(assigned: TimeWindow[], time: number, size: number, slide: number, offset: number): readonly TimeWindow[] {
  let count = 0;
  for (let start = TimeWindow.getWindowStartWithOffset(time, offset, slide); start > time - size; start -= slide) {
    assigned[count++] = new TimeWindow(start, start + size);
  }
  // Usually the same count as last time, so this keeps the array's storage.
  assigned.length = count;
  return assigned;
}
