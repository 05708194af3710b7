// What a TaskManager answers when its JobManager asks about running subtasks (their watermarks,
// their metrics): each named task is asked on its own turn, bounded, and a task that does not run
// here, or does not answer in time, is a reading that says why instead.
import type { ActorRef, ActorSystem } from '../../actors/index.ts';
import type { ExecutionAttemptId, JobId } from '../../messages/ids.ts';
import type { TaskCommand } from './task.ts';

/** A running task as the TaskManager knows it: enough to ask it. */
export interface AskableTask {
  readonly jobId: JobId;
  readonly ref: ActorRef<TaskCommand>;
  readonly terminal: boolean;
}

export interface ReadingRequest<R> {
  readonly jobId: JobId;
  readonly executionAttemptIds: readonly ExecutionAttemptId[];
  /** This TaskManager, for the reasons. */
  readonly resourceId: string;
  readonly timeoutMs: number;
  /** The task's request, answered to `replyTo`. */
  readonly request: (replyTo: ActorRef<R>) => TaskCommand;
  /** The reading of a task that has none, with why. */
  readonly unavailable: (executionAttemptId: ExecutionAttemptId, why: string) => R;
}

/** One reading per named attempt, in order; never rejects. */
export function readTasks<R>(system: ActorSystem, tasks: ReadonlyMap<ExecutionAttemptId, AskableTask>, request: ReadingRequest<R>): Promise<R[]> {
  const { jobId, resourceId, timeoutMs, unavailable } = request;
  return Promise.all(
    request.executionAttemptIds.map((executionAttemptId): Promise<R> => {
      const running = tasks.get(executionAttemptId);
      if (!running || running.jobId !== jobId || running.terminal) return Promise.resolve(unavailable(executionAttemptId, `it does not run on ${resourceId}`));
      return system
        .ask<TaskCommand, R>(running.ref, request.request, timeoutMs)
        .catch(() => unavailable(executionAttemptId, `its task on ${resourceId} did not answer within ${timeoutMs} ms`));
    }),
  );
}
