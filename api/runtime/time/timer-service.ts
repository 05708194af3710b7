// Timers inside the runtime (Flink's InternalTimerService and ProcessingTimeService). An operator
// registers timers for the current key and a namespace; event-time timers fire when the operator's
// watermark reaches them, processing-time timers when the task's processing-time service says so
// (its callbacks arrive as mail between steps). One timer per key, namespace and timestamp:
// registering it twice is once. Timers are state: they are kept per key group and snapshotted.
import type { Key } from '../key-groups.ts';
import type { Namespace } from '../../state/keyed-state-backend.ts';

/** A registered processing-time callback; cancel() before it ran means it never runs. */
export interface Cancellable {
  cancel(): void;
}

export interface InternalTimer<K extends Key> {
  readonly key: K;
  readonly namespace: Namespace;
  readonly timestamp: number;
}

/** What an operator's timer service calls when a timer fires; the key is current then. */
export interface Triggerable<K extends Key> {
  onEventTime(timer: InternalTimer<K>): void;
  onProcessingTime(timer: InternalTimer<K>): void;
}

/** Timers for the current key of the operator's keyed state backend. */
export interface InternalTimerService {
  currentProcessingTime(): number;
  currentWatermark(): number;
  registerEventTimeTimer(namespace: Namespace, timestamp: number): void;
  deleteEventTimeTimer(namespace: Namespace, timestamp: number): void;
  registerProcessingTimeTimer(namespace: Namespace, timestamp: number): void;
  deleteProcessingTimeTimer(namespace: Namespace, timestamp: number): void;
}

/**
 * The task's clock and processing-time timers. A callback runs on the task's turn (as mail between
 * steps), never inside a step; a test implementation advances time by hand.
 */
export interface ProcessingTimeService {
  getCurrentProcessingTime(): number;
  /** Calls `callback(timestamp)` once the clock reaches `timestamp` (at once, as mail, if it has). */
  registerTimer(timestamp: number, callback: (timestamp: number) => void): Cancellable;
}
