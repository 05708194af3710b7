// Identifiers are branded strings: a JobId cannot be passed where an AllocationId is expected.
import { v4 as uuid } from 'uuid';
import { idKey, safeId } from './schema.ts';

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

// Their schemas. Where a receiver names an actor or a file by an id (`job-<jobId>`, `task-<attempt>`,
// the job's bundle directory) the id must be safe as both; where it only looks an id up or echoes it,
// any string will do, so that a lookup of an odd id is answered (JobNotFound) rather than refused.
export const JobIdSchema = safeId<JobId>('a job id');
export const ExecutionAttemptIdSchema = safeId<ExecutionAttemptId>('an execution attempt id');
export const ResourceIdSchema = safeId<ResourceId>('a resource id');
export const JobIdKey = idKey<JobId>('a job id');
export const ExecutionAttemptIdKey = idKey<ExecutionAttemptId>('an execution attempt id');
export const AllocationIdKey = idKey<AllocationId>('an allocation id');
export const ResourceIdKey = idKey<ResourceId>('a resource id');
export const JobMasterIdKey = idKey<JobMasterId>('a job master id');
