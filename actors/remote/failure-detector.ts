// Deadline failure detector: a peer is available while something was heard from it within the
// acceptable pause (any frame counts as a heartbeat). Flink's heartbeat.timeout works the same way;
// Akka's phi-accrual detector adapts to jitter, which a cluster on one network rarely needs.

export class DeadlineFailureDetector {
  lastHeard: number;

  constructor(
    private readonly acceptablePauseMs: number,
    now: number,
  ) {
    this.lastHeard = now;
  }

  heartbeat(now: number): void {
    this.lastHeard = now;
  }

  isAvailable(now: number): boolean {
    return now - this.lastHeard <= this.acceptablePauseMs;
  }
}
