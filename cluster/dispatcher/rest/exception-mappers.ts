// GET /jobs/:jobId/exceptions in Flink's shape (JobExceptionsInfoWithHistory): the latest failure as
// `root-exception` with its stack trace, and every failure the Dispatcher kept, newest first.
import { type JobDetails, type JobException, MAX_EXCEPTION_HISTORY } from '../../../messages/dispatcher.ts';
import type { ErrorInfo } from '../../../messages/job-status.ts';

/**
 * The stack as Flink prints a Throwable: name and message, then the frames (and causes) of the
 * error's stack. The message is the ErrorInfo's: a task adds which subtask failed after the stack was made.
 */
export function stackTrace(error: ErrorInfo): string {
  const headline = `${error.name}: ${error.message}`;
  const frames = error.stack?.search(/^\s+at /m) ?? -1;
  return frames === -1 ? headline : `${headline}\n${error.stack!.slice(frames)}`;
}

function historyEntry({ error, timestamp }: JobException): Record<string, unknown> {
  return {
    exceptionName: error.name,
    stacktrace: stackTrace(error),
    timestamp,
    ...(error.code ? { errorCode: error.code } : {}),
    // Which task and TaskManager failed is not part of a job's failure cause in Weir.
    taskName: null,
    endpoint: null,
    taskManagerId: null,
    failureLabels: {},
    concurrentExceptions: [],
  };
}

export function jobExceptionsInfo(details: JobDetails): Record<string, unknown> {
  const history = [...(details.exceptions ?? [])].reverse();
  const latest = history[0];
  const truncated = history.length >= MAX_EXCEPTION_HISTORY;
  return {
    'root-exception': latest ? stackTrace(latest.error) : null,
    timestamp: latest ? latest.timestamp : null,
    'all-exceptions': [],
    truncated,
    exceptionHistory: { entries: history.map(historyEntry), truncated },
  };
}
