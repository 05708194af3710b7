// A submitted job as the client sees it: its status changes as an Observable, and its result.
// A local actor subscribes to the Dispatcher before the job is submitted (the client chose the
// JobId), so no status is missed; it watches the Dispatcher, so a lost JobManager ends the stream
// with an error instead of leaving it open forever.
import { type Observable, ReplaySubject } from 'rxjs';
import { type ActorRef, type ActorSystem, Behaviors } from '../../actors/index.ts';
import type { DispatcherMsg } from '../../messages/dispatcher.ts';
import { WeirError } from '../../messages/errors.ts';
import type { JobId } from '../../messages/ids.ts';
import { type ErrorInfo, type JobStatusChanged, isTerminalJobStatus } from '../../messages/job-status.ts';
import { userFrames } from '../../messages/user-frames.ts';

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
  const { error } = change;
  const code = change.status === 'CANCELED' ? 'JOB_CANCELED' : 'JOB_FAILED';
  const ended = change.status === 'CANCELED' ? `${what} was canceled` : `${what} failed`;
  if (!error) return new WeirError(code, ended);
  const rejection = new WeirError(code, `${ended}: ${error.message}`, { cause: quietCause(error) });
  // The frames worth reading are where the job failed, not this client's: the user's, else the failure's own.
  const frames = userFrames(error.stack);
  const remote = frames.length > 0 ? frames.map((frame) => `    ${frame}`).join('\n') : framesOf(error.stack);
  rejection.stack = `${rejection.name}: ${rejection.message}${remote ? `\n${remote}` : ''}`;
  return rejection;
}

/**
 * The cause with its stack kept but not enumerable: Node prints an uncaught error's cause with its
 * enumerable fields, and the user's frames of that stack are the rejection's own stack already.
 */
function quietCause(error: ErrorInfo): ErrorInfo {
  const { stack, ...fields } = error;
  return stack === undefined ? fields : Object.defineProperty(fields, 'stack', { value: stack, enumerable: false });
}

/** A stack without its first line (the error's name and message), Caused by lines included. */
function framesOf(stack: string | undefined): string {
  const start = stack?.search(/^\s+at /m) ?? -1;
  return start === -1 ? '' : stack!.slice(start);
}
