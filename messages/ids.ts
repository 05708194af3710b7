// Identifiers are branded strings: a JobId cannot be passed where an AllocationId is expected.
import { v4 as uuid } from 'uuid';

declare const brand: unique symbol;
type Branded<T, B extends string> = T & { readonly [brand]: B };

/** One submitted job. */
export type JobId = Branded<string, 'JobId'>;
/** One attempt to run one subtask of a vertex (a restart makes a new one). */
export type ExecutionAttemptId = Branded<string, 'ExecutionAttemptId'>;
/** One slot allocated to one job. */
export type AllocationId = Branded<string, 'AllocationId'>;
/** One TaskManager process (stable across its registrations). */
export type ResourceId = Branded<string, 'ResourceId'>;
/** One JobManager leadership of a job: messages from an older one are fenced off. */
export type JobMasterId = Branded<string, 'JobMasterId'>;

export const newJobId = (): JobId => uuid() as JobId;
export const newExecutionAttemptId = (): ExecutionAttemptId => uuid() as ExecutionAttemptId;
export const newAllocationId = (): AllocationId => uuid() as AllocationId;
export const newJobMasterId = (): JobMasterId => uuid() as JobMasterId;
export const resourceId = (text: string): ResourceId => text as ResourceId;
export const jobId = (text: string): JobId => text as JobId;
