// A process's registry of its running tasks' metrics: the one in-process place a reporter (a
// Prometheus endpoint) reads every task's figures from, with the labels it needs. Tasks add
// themselves when they start running and remove themselves when they end. Reading calls each
// task's reader between two turns of the event loop, never during a step.
import type { SubtaskMetrics } from '../../messages/metrics.ts';

/** Who a task is, for a reporter's labels. */
export interface TaskLabels {
  readonly jobId: string;
  readonly jobName: string;
  readonly vertexId: string;
  readonly vertexName: string;
  readonly subtaskIndex: number;
  readonly attemptNumber: number;
  readonly executionAttemptId: string;
  readonly taskManagerId: string;
}

export interface TaskMetricsEntry {
  readonly labels: TaskLabels;
  readonly metrics: SubtaskMetrics;
}

export class TaskMetricsRegistry {
  private readonly tasks = new Map<string, { readonly labels: TaskLabels; readonly read: () => SubtaskMetrics }>();

  register(labels: TaskLabels, read: () => SubtaskMetrics): void {
    this.tasks.set(labels.executionAttemptId, { labels, read });
  }

  unregister(executionAttemptId: string): void {
    this.tasks.delete(executionAttemptId);
  }

  /** Every running task's figures now, in the order they started. */
  readAll(): TaskMetricsEntry[] {
    return [...this.tasks.values()].map(({ labels, read }) => ({ labels, metrics: read() }));
  }

  get size(): number {
    return this.tasks.size;
  }
}
