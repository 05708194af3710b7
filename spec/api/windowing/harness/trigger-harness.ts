// Runs a trigger the way the window operator does, for one key (Flink's TriggerTestHarness): state
// in Maps (InMemoryWindowState), timers recorded per window, watermark and clock moved by hand.
// Firing a timer calls the trigger and returns its result; acting on results (emitting, purging
// contents) is the operator's and not modelled here.
import { MIN_WATERMARK } from '../../../../api/eventtime/watermark.ts';
import type { StateDescriptor } from '../../../../api/state/descriptors.ts';
import type { Namespace } from '../../../../api/state/keyed-state-backend.ts';
import type { State } from '../../../../api/state/state.ts';
import type { OnMergeContext, Trigger } from '../../../../api/windowing/triggers/trigger.ts';
import type { TriggerResult } from '../../../../api/windowing/triggers/trigger-result.ts';
import type { Window, WindowNamespaceCodec } from '../../../../api/windowing/windows/window.ts';
import { InMemoryWindowState } from './in-memory-window-state.ts';

type Domain = 'event' | 'processing';

export interface RecordedTimer {
  readonly domain: Domain;
  readonly namespace: Namespace;
  readonly time: number;
}

export class TriggerTestHarness<T, W extends Window> {
  watermark = MIN_WATERMARK;
  processingTime = 0;
  readonly state = new InMemoryWindowState();
  /** Keyed by domain, namespace and time: registering twice is once. */
  private readonly timers = new Map<string, RecordedTimer>();
  private mergedNamespaces: readonly Namespace[] = [];
  private readonly context: OnMergeContext;

  constructor(
    readonly trigger: Trigger<T, W>,
    private readonly codec: WindowNamespaceCodec<W>,
  ) {
    const harness = this;
    this.context = {
      getCurrentProcessingTime: () => harness.processingTime,
      getCurrentWatermark: () => harness.watermark,
      registerEventTimeTimer: (time) => harness.addTimer('event', time),
      registerProcessingTimeTimer: (time) => harness.addTimer('processing', time),
      deleteEventTimeTimer: (time) => harness.timers.delete(timerKey('event', harness.state.current, time)),
      deleteProcessingTimeTimer: (time) => harness.timers.delete(timerKey('processing', harness.state.current, time)),
      getPartitionedState: <S extends State>(descriptor: StateDescriptor<S>) => harness.state.getPartitionedState(descriptor),
      mergePartitionedState: <S extends State>(descriptor: StateDescriptor<S>) => {
        if (harness.mergedNamespaces.length > 0) harness.state.merge(descriptor, harness.state.current, harness.mergedNamespaces);
      },
    };
  }

  processElement(element: T, timestamp: number, window: W): TriggerResult {
    this.enter(window);
    return this.trigger.onElement(element, timestamp, window, this.context);
  }

  /** Moves the watermark and fires every event-time timer it reached, earliest first. */
  advanceWatermark(time: number): [W, TriggerResult][] {
    this.watermark = time;
    return this.fire('event', time);
  }

  /** Moves the clock and fires every processing-time timer it reached, earliest first. */
  advanceProcessingTime(time: number): [W, TriggerResult][] {
    this.processingTime = time;
    return this.fire('processing', time);
  }

  /** As the operator does on a merge: onMerge for the result, then clear() for each merged window. */
  mergeWindows(target: W, merged: readonly W[]): void {
    this.enter(target);
    this.mergedNamespaces = merged.map((window) => this.codec.toNamespace(window));
    try {
      this.trigger.onMerge(target, this.context);
    } finally {
      this.mergedNamespaces = [];
    }
    for (const window of merged) this.clearTriggerState(window);
  }

  clearTriggerState(window: W): void {
    this.enter(window);
    this.trigger.clear(window, this.context);
  }

  /** The registered timers, earliest first, optionally of one window. */
  registeredTimers(domain: Domain, window?: W): number[] {
    const namespace = window === undefined ? undefined : this.codec.toNamespace(window);
    return [...this.timers.values()]
      .filter((timer) => timer.domain === domain && (namespace === undefined || timer.namespace === namespace))
      .map((timer) => timer.time)
      .sort((a, b) => a - b);
  }

  /** Trigger state entries, of all windows or of one. */
  stateEntries(window?: W): number {
    return this.state.entryCount(window === undefined ? undefined : this.codec.toNamespace(window));
  }

  private enter(window: W): void {
    this.state.current = this.codec.toNamespace(window);
  }

  private addTimer(domain: Domain, time: number): void {
    const namespace = this.state.current;
    this.timers.set(timerKey(domain, namespace, time), { domain, namespace, time });
  }

  /**
   * Fires the timers of `domain` due at `upTo`, earliest first, including those the trigger
   * registers meanwhile (as Flink's timer service does). A timer registered again at the time it
   * just fired at waits for the next advance: in the operator, the window's cleanup at that time
   * deletes it; here it would loop.
   */
  private fire(domain: Domain, upTo: number): [W, TriggerResult][] {
    const results: [W, TriggerResult][] = [];
    const fired = new Set<string>();
    for (;;) {
      let next: [string, RecordedTimer] | undefined;
      for (const entry of this.timers) {
        const timer = entry[1];
        if (timer.domain !== domain || timer.time > upTo || fired.has(entry[0])) continue;
        if (next === undefined || timer.time < next[1].time) next = entry;
      }
      if (next === undefined) return results;
      const [key, timer] = next;
      this.timers.delete(key);
      fired.add(key);
      const window = this.codec.fromNamespace(timer.namespace);
      this.enter(window);
      const result = domain === 'event' ? this.trigger.onEventTime(timer.time, window, this.context) : this.trigger.onProcessingTime(timer.time, window, this.context);
      results.push([window, result]);
    }
  }
}

function timerKey(domain: Domain, namespace: Namespace, time: number): string {
  return `${domain}|${String(namespace)}|${time}`;
}
