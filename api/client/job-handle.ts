// A submitted job as the client sees it: its status changes as an Observable, and its result.
// A local actor subscribes to the Dispatcher before the job is submitted (the client chose the
// JobId), so no status is missed; it watches the Dispatcher, so a lost JobManager ends the stream
// with an error instead of leaving it open forever.
import { type Observable, ReplaySubject } from 'rxjs';
import { type ActorRef, type ActorSystem, Behaviors } from '../../actors/index.ts';
import type { DispatcherMsg } from '../../messages/dispatcher.ts';
import { WeirError } from '../../messages/errors.ts';
import type { JobId } from '../../messages/ids.ts';
import { type JobStatusChanged, isTerminalJobStatus } from '../../messages/job-status.ts';

/** Status changes kept for a late subscriber of status$; a job rarely has more. */
export const STATUS_HISTORY = 64;

/** The handle type belongs to the executor seam (api/executor.ts); the client makes them. */
export type { JobHandle } from '../executor.ts';

/** What watchJobStatus starts: the stream, the result, and a way to stop listening early. */
export interface JobStatusWatch {
  readonly status$: Observable<JobStatusChanged>;
  readonly result: Promise<JobStatusChanged>;
  /** Stops listening; status$ ends with `reason`. */
  stop(reason: Error): void;
}

/** The subscriber's private message: stop listening (the submission failed). */
interface StopWatching {
  readonly type: 'StopWatching';
  readonly reason: Error;
}

let watchCounter = 0;

/** Spawns the subscriber actor in `system` and sends SubscribeJobStatus for `jobId`. */
export function watchJobStatus(system: ActorSystem, dispatcher: ActorRef<DispatcherMsg>, jobId: JobId, jobManager: string): JobStatusWatch {
  const subject = new ReplaySubject<JobStatusChanged>(STATUS_HISTORY);
  let ended = false;
  const end = (error?: Error): void => {
    if (ended) return;
    ended = true;
    if (error) subject.error(error);
    else subject.complete();
  };
  const subscriber = system.spawn(
    Behaviors.setup<JobStatusChanged | StopWatching>((ctx) => {
      ctx.watch(dispatcher);
      return Behaviors.receive<JobStatusChanged | StopWatching>(
        (_ctx, msg) => {
          if (msg.type === 'StopWatching') {
            end(msg.reason);
            return Behaviors.stopped;
          }
          const change = msg;
          if (change.jobId !== jobId || ended) return Behaviors.same;
          subject.next(change);
          if (!isTerminalJobStatus(change.status)) return Behaviors.same;
          end();
          return Behaviors.stopped;
        },
        (_ctx, signal) => {
          if (signal.signal === 'Terminated') {
            end(new WeirError('JOBMANAGER_UNREACHABLE', `lost the JobManager at ${jobManager} before job ${jobId} ended`));
            return Behaviors.stopped;
          }
          if (signal.signal === 'PostStop') end(new WeirError('SYSTEM_TERMINATED', `the client stopped listening before job ${jobId} ended`));
          return Behaviors.same;
        },
      );
    }),
    `job-status-${(watchCounter++).toString(36)}`,
  );
  dispatcher.tell({ type: 'SubscribeJobStatus', jobId, subscriber: subscriber.narrow<JobStatusChanged>() });
  const result = resultOf(subject, jobId);
  void result.catch(() => undefined); // a caller that never asks for the result sees no unhandled rejection
  return { status$: subject.asObservable(), result, stop: (reason) => subscriber.tell({ type: 'StopWatching', reason }) };
}

function resultOf(status$: Observable<JobStatusChanged>, jobId: JobId): Promise<JobStatusChanged> {
  return new Promise((resolve, reject) => {
    let last: JobStatusChanged | undefined;
    status$.subscribe({
      next: (change) => (last = change),
      error: reject,
      complete: () => {
        if (last?.status === 'FINISHED') resolve(last);
        else if (last) reject(jobEndedError(last));
        else reject(new WeirError('JOB_NOT_FOUND', `job ${jobId} ended without a status`));
      },
    });
  });
}

function jobEndedError(change: JobStatusChanged): WeirError {
  const what = `job "${change.jobName}" (${change.jobId})`;
  const cause = change.error ? `: ${change.error.message}` : '';
  if (change.status === 'CANCELED') return new WeirError('JOB_CANCELED', `${what} was canceled${cause}`, { cause: change.error });
  return new WeirError('JOB_FAILED', `${what} failed${cause}`, { cause: change.error });
}
