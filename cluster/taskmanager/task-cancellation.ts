// The tasks a TaskManager is cancelling, from the first CancelTask until their actor is gone (Flink's
// TaskCanceler and its watchdog). Each is armed with the watchdog, which kills the process when one
// outlives task.cancellation.timeout; every task.cancellation.interval the TaskManager tells the
// stuck ones again and logs one line for all of them.
import type { ExecutionAttemptId } from '../../messages/ids.ts';
import type { CancellationWatchdog } from './cancellation-watchdog.ts';

/** Flink's task.cancellation.interval default. */
export const DEFAULT_CANCELLATION_INTERVAL_MS = 30_000;
/** Stuck tasks named in the interval's log line; the rest are counted. */
const NAMED_IN_LOG = 5;

export class TaskCancellations {
  private readonly cancelling = new Map<ExecutionAttemptId, { readonly since: number; readonly what: string }>();

  constructor(
    private readonly now: () => number,
    private readonly watchdog?: CancellationWatchdog,
  ) {}

  get size(): number {
    return this.cancelling.size;
  }

  /** The task's cancellation began (again: nothing changes). */
  begin(executionAttemptId: ExecutionAttemptId, what: string): void {
    if (this.cancelling.has(executionAttemptId)) return;
    this.cancelling.set(executionAttemptId, { since: this.now(), what });
    this.watchdog?.arm(executionAttemptId, what);
  }

  /** The task's actor is gone. */
  end(executionAttemptId: ExecutionAttemptId): void {
    if (this.cancelling.delete(executionAttemptId)) this.watchdog?.disarm(executionAttemptId);
  }

  ids(): ExecutionAttemptId[] {
    return [...this.cancelling.keys()];
  }

  /** One line for every task still cancelling: `2 tasks still cancelling: Map (1/2) for 30012 ms, ...`. */
  describe(): string {
    const now = this.now();
    const named = [...this.cancelling.values()].slice(0, NAMED_IN_LOG).map(({ since, what }) => `${what} for ${now - since} ms`);
    const more = this.cancelling.size - named.length;
    return `${this.cancelling.size} task${this.cancelling.size === 1 ? '' : 's'} still cancelling: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  }
}
