// A ResultPartition: one producer subtask's output on one edge, as the OutputWriter its chain emits
// into. One subpartition per consumer subtask. Available while no subpartition is blocked.
import type { OutputWriter } from '../../../api/runtime/subtask.ts';
import { Subpartition } from './subpartition.ts';

export class ResultPartition implements OutputWriter {
  readonly subpartitions: readonly Subpartition[];
  private blockedCount = 0;
  private waiters: (() => void)[] = [];
  private finished = false;

  constructor(
    /** Identifies the partition in its TaskManager's network environment. */
    readonly key: string,
    readonly channels: number,
    batchRecords: number,
    /**
     * Buffer timeout 0: the task flushes after every step, and records leave at once where credit
     * allows, else with the next credit (see Subpartition).
     */
    readonly flushEachStep: boolean,
  ) {
    this.subpartitions = Array.from({ length: channels }, () => new Subpartition(batchRecords, (blocked) => this.blockedChanged(blocked), flushEachStep));
  }

  get available(): boolean {
    return this.blockedCount === 0;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Every subpartition delivered its end to a reader. */
  get isDrained(): boolean {
    return this.subpartitions.every((subpartition) => subpartition.isDrained);
  }

  emit(channel: number, record: unknown): void {
    this.subpartitions[channel].add(record);
  }

  broadcast(record: unknown): void {
    for (const subpartition of this.subpartitions) subpartition.add(record);
  }

  whenAvailable(): Promise<void> {
    if (this.blockedCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  flush(): void {
    for (const subpartition of this.subpartitions) subpartition.flush();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const subpartition of this.subpartitions) subpartition.finish();
  }

  /** Cancelled: drop everything, release waiters. */
  release(): void {
    for (const subpartition of this.subpartitions) subpartition.release();
    this.blockedCount = 0;
    this.wake();
  }

  private blockedChanged(blocked: boolean): void {
    this.blockedCount += blocked ? 1 : -1;
    if (this.blockedCount === 0) this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
