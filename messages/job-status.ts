// Job and task lifecycles, and the JobStatusChanged event the Dispatcher sends to every subscriber
// of a job (clients, the console).
import { mapBundleFrames } from './bundle-frames.ts';
import { type JobId, JobIdKey } from './ids.ts';
import { registerMessages } from './registry.ts';
import { literal, message, number, object, optional, string, validators } from './schema.ts';

/** RESTARTING: a task failed and the restart strategy allows another attempt (Flink's). */
export type JobStatus = 'INITIALIZING' | 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED' | 'FINISHED' | 'RESTARTING';

/** Every JobStatus, in lifecycle order. */
export const JOB_STATUSES: readonly JobStatus[] = ['INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'FINISHED', 'RESTARTING'];
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['FAILED', 'CANCELED', 'FINISHED'];

export function isTerminalJobStatus(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status);
}

export type ExecutionState =
  | 'CREATED'
  | 'SCHEDULED'
  | 'DEPLOYING'
  | 'INITIALIZING'
  | 'RUNNING'
  | 'FINISHED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED';

export function isTerminalExecutionState(state: ExecutionState): boolean {
  return state === 'FINISHED' || state === 'CANCELED' || state === 'FAILED';
}

/** An error as data: errors cross process boundaries inside messages. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const stack = stackWithCauses(error);
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}), ...(stack ? { stack } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** How many causes a stack lists at most (a cycle of causes must not loop). */
const MAX_CAUSES = 8;

/**
 * The stack, then each cause's as Java prints them ("Caused by: ..."): the user's frames survive
 * wrapping, and name the user's sources where they ran in a job bundle.
 */
function stackWithCauses(error: Error): string | undefined {
  let stack = error.stack;
  let cause = error.cause;
  for (let depth = 0; stack !== undefined && cause instanceof Error && depth < MAX_CAUSES; depth++) {
    stack += `\nCaused by: ${cause.stack ?? `${cause.name}: ${cause.message}`}`;
    cause = cause.cause;
  }
  return stack === undefined ? undefined : mapBundleFrames(stack);
}

export interface JobStatusChanged {
  readonly type: 'JobStatusChanged';
  readonly jobId: JobId;
  readonly jobName: string;
  readonly status: JobStatus;
  readonly timestamp: number;
  readonly error?: ErrorInfo;
}

export const jobStatusChanged = (jobId: JobId, jobName: string, status: JobStatus, error?: ErrorInfo): JobStatusChanged => ({
  type: 'JobStatusChanged',
  jobId,
  jobName,
  status,
  timestamp: Date.now(),
  ...(error ? { error } : {}),
});

export const JobStatusSchema = literal<JobStatus>(...JOB_STATUSES);

export const ExecutionStateSchema = literal<ExecutionState>('CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED');

export const ErrorInfoSchema = object<ErrorInfo>({ name: string, message: string, code: optional(string), stack: optional(string) });

export const JobStatusChangedSchema = message<JobStatusChanged>('JobStatusChanged', {
  jobId: JobIdKey,
  jobName: string,
  status: JobStatusSchema,
  timestamp: number,
  error: optional(ErrorInfoSchema),
});

registerMessages(validators([JobStatusChangedSchema]));
