// A valid example of every message type Weir registers, for the schema specs and the wire mutation
// spec. The values are chosen so that, delivered to the real actors, each is harmless: ids name no
// real job, allocation or TaskManager; a registration offers 0 slots (declined); a slot request asks
// for more slots than any spec cluster has and times out at once; an allocation names a slot that
// does not exist. Every ref is `ref` (a sink in the sending system).
import type { ActorRef } from '../../actors/index.ts';
import type { AllocationId, ExecutionAttemptId, JobId, JobMasterId, ResourceId } from '../../messages/ids.ts';
import type { JobGraph } from '../../messages/job-graph.ts';

export const MUTANT_JOB = 'mutant-job' as JobId;
const ALLOCATION = 'mutant-allocation' as AllocationId;
const ATTEMPT = 'mutant-attempt' as ExecutionAttemptId;
const MASTER = 'mutant-master' as JobMasterId;
const NOBODY = 'tm-nobody' as ResourceId;

/** One bounded source vertex: a small graph that passes the Dispatcher's checks. */
export const MUTANT_GRAPH: JobGraph = {
  name: 'mutant',
  maxParallelism: 128,
  runtimeMode: 'BATCH',
  bufferTimeoutMs: 100,
  checkpointing: { intervalMs: 1000, mode: 'AT_LEAST_ONCE', timeoutMs: 60_000, minPauseMs: 0, maxConcurrent: 1, tolerableFailures: 2, retained: 3, directory: '/tmp/mutant-checkpoints', unaligned: false, alignedCheckpointTimeoutMs: 0 },
  restartStrategy: { type: 'fixed-delay', attempts: 3, delayMs: 1000 },
  vertices: [
    {
      id: 'mutant-source',
      name: 'Source: mutant',
      parallelism: 1,
      operators: [{ id: 'mutant-source', kind: 'source', name: 'mutant', config: { n: 1 } }],
      inputs: [],
      splits: [{ index: 0, payload: { from: 0, to: 1 } }],
      bounded: true,
    },
  ],
};

/** Which core actor handles each request type; every other type is no core actor's protocol. */
export const OWNER: Readonly<Record<string, 'dispatcher' | 'resourcemanager' | 'taskmanager' | 'jobmanager'>> = {
  SubmitJob: 'dispatcher',
  CancelJob: 'dispatcher',
  ListJobs: 'dispatcher',
  RequestJobDetails: 'dispatcher',
  SubscribeJobStatus: 'dispatcher',
  RequestClusterInfo: 'dispatcher',
  RequestJobWatermarks: 'dispatcher',
  TriggerSavepoint: 'dispatcher',
  RequestJobMetrics: 'dispatcher',
  RequestTaskManagers: 'dispatcher',
  RequestTaskManagerDetails: 'dispatcher',
  RegisterTaskManager: 'resourcemanager',
  SlotReport: 'resourcemanager',
  SlotAllocated: 'resourcemanager',
  SlotAllocationFailed: 'resourcemanager',
  RequestSlots: 'resourcemanager',
  CancelSlotRequest: 'resourcemanager',
  RequestClusterOverview: 'resourcemanager',
  WatchTaskManagers: 'resourcemanager',
  AllocateSlot: 'taskmanager',
  SubmitTask: 'taskmanager',
  CancelTask: 'taskmanager',
  FailTask: 'taskmanager',
  ReleaseJob: 'taskmanager',
  PrepareJob: 'taskmanager',
  JobManagerHeartbeat: 'taskmanager',
  RequestTaskWatermarks: 'taskmanager',
  RequestTaskMetrics: 'taskmanager',
  RequestTaskManagerMetrics: 'taskmanager',
  TriggerCheckpoint: 'taskmanager',
  NotifyCheckpointComplete: 'taskmanager',
  NotifyCheckpointAborted: 'taskmanager',
  UpdateTaskExecutionState: 'jobmanager',
  AcknowledgeCheckpoint: 'jobmanager',
  DeclineCheckpoint: 'jobmanager',
  TaskManagerHeartbeat: 'jobmanager',
  SlotsAllocated: 'jobmanager',
  SlotRequestFailed: 'jobmanager',
  RequestNextInputSplit: 'jobmanager',
  RequestJobBundle: 'jobmanager',
  CancelJobExecution: 'jobmanager',
};

/** Request types another core actor handles too: the Dispatcher forwards a client's RequestJobWatermarks to the job's JobManager. */
export const ALSO_HANDLED_BY: Readonly<Record<string, readonly string[]>> = {
  RequestJobWatermarks: ['jobmanager'],
  TriggerSavepoint: ['jobmanager'],
  RequestJobMetrics: ['jobmanager'],
  RequestTaskManagers: ['resourcemanager'],
  RequestTaskManagerDetails: ['resourcemanager'],
  WatchTaskManagers: ['dispatcher'],
};

export function validExamples(ref: ActorRef<never>): Readonly<Record<string, Readonly<Record<string, unknown>>>> {
  const overview = { jobId: MUTANT_JOB, name: 'mutant', status: 'FAILED', startTime: 1, endTime: 2, parallelism: 1, error: { name: 'Error', message: 'boom' } };
  const errorInfo = { name: 'Error', message: 'boom', code: 'USER_FUNCTION_FAILED', stack: 'Error: boom' };
  const slot = { allocationId: ALLOCATION, resourceId: NOBODY, slotIndex: 0, taskManager: ref, dataAddress: '127.0.0.1:9' };
  const descriptor = {
    jobId: MUTANT_JOB,
    jobName: 'mutant',
    jobMasterId: MASTER,
    executionAttemptId: ATTEMPT,
    allocationId: ALLOCATION,
    vertex: MUTANT_GRAPH.vertices[0],
    subtaskIndex: 0,
    attemptNumber: 0,
    maxParallelism: 128,
    bundleHash: 'mutant-bundle',
    jobArgs: ['--n', '1'],
    planParallelism: 1,
    jobManager: ref,
    inputs: [{ channels: [{ partitionKey: 'mutant-job/a/0#0/b/0', subpartition: 0, resourceId: NOBODY, dataAddress: null }] }],
    outputs: [{ partitionKey: 'mutant-job/b/0#0/c/0', subpartitions: 1, producer: 'operator "mutant"' }],
    bufferTimeoutMs: 100,
    // A real descriptor carries one of the two restores; the example shows both shapes.
    checkpoint: {
      directory: '/tmp/mutant-checkpoints/mutant-job',
      restore: { checkpointId: 3, path: '/tmp/mutant-checkpoints/mutant-job/chk-3/mutant-source-0-0.state' },
      rescaledRestore: { checkpointId: 3, files: ['/tmp/mutant-savepoint/mutant-source-0-0.state', null], keyGroups: { start: 0, end: 42 }, splits: [0, 3] },
    },
  };
  // One channel ended (+Infinity), one before its first watermark (-Infinity): both travel as numbers.
  const subtaskWatermarks = {
    inputWatermark: Number.NEGATIVE_INFINITY,
    outputWatermark: 1_700_000_000_000,
    outputIdle: false,
    inputs: [
      {
        input: 0,
        watermark: Number.NEGATIVE_INFINITY,
        idle: false,
        channels: [
          { upstreamVertexId: 'mutant-source', upstreamSubtask: 0, watermark: Number.POSITIVE_INFINITY, idle: false, aligned: true },
          { upstreamVertexId: 'mutant-source', upstreamSubtask: 1, watermark: Number.NEGATIVE_INFINITY, idle: true, aligned: false },
        ],
      },
    ],
    splits: [{ split: 'split-0', watermark: 5, idle: false }],
  };
  const userMetrics = [
    { operator: 'Map', name: 'parser.errors', kind: 'counter', value: 3 },
    { operator: 'Map', name: 'lag', kind: 'gauge', value: Number.NaN },
    { operator: 'Map', name: 'latency', kind: 'histogram', value: 2.5, count: 4, min: 1, max: 4, p50: 2, p95: 4, p99: 4 },
  ];
  const subtaskMetrics = {
    numRecordsIn: 1000,
    numRecordsOut: 999,
    numBytesIn: 19_500,
    numBytesOut: 0,
    numRecordsInPerSecond: 10.5,
    numRecordsOutPerSecond: 10,
    busyTimeMsPerSecond: 100,
    backPressuredTimeMsPerSecond: 850,
    idleTimeMsPerSecond: 50,
    inputBufferUsage: 0.25,
    outputBufferUsage: 1,
    currentInputWatermark: Number.NEGATIVE_INFINITY,
    currentOutputWatermark: null,
    user: userMetrics,
  };
  const processMetrics = {
    heapUsedBytes: 10_000_000,
    heapTotalBytes: 20_000_000,
    rssBytes: 50_000_000,
    eventLoopDelayP50Ms: 10.1,
    eventLoopDelayP99Ms: 12.5,
    gcTimeMsTotal: 31.5,
    gcTimeMsPerSecond: 0.5,
    uptimeMs: 60_000,
  };
  const slotInfo = { index: 0, jobId: MUTANT_JOB, tasks: ['Map (1/2)'] };
  const taskManagerInfo = {
    id: NOBODY,
    path: 'weir://taskmanager@127.0.0.1:9/user/taskmanager',
    dataPort: 9,
    slotsTotal: 2,
    slotsFree: 1,
    registeredAt: 1_700_000_000_000,
    lastHeartbeat: 1_700_000_001_000,
    slots: [slotInfo, { index: 1, jobId: null, tasks: [] }],
    metrics: processMetrics,
    unavailable: 'not asked',
  };
  return {
    // metrics
    RequestJobMetrics: { type: 'RequestJobMetrics', jobId: MUTANT_JOB, replyTo: ref },
    JobMetrics: {
      type: 'JobMetrics',
      jobId: MUTANT_JOB,
      subtasks: [
        { vertexId: 'mutant-source', subtaskIndex: 0, attemptNumber: 0, taskManagerId: NOBODY, status: 'RUNNING', metrics: subtaskMetrics },
        { vertexId: 'mutant-source', subtaskIndex: 1, attemptNumber: 0, taskManagerId: null, status: 'CREATED', metrics: null, unavailable: 'CREATED' },
      ],
    },
    RequestTaskManagers: { type: 'RequestTaskManagers', replyTo: ref },
    TaskManagerList: { type: 'TaskManagerList', taskManagers: [taskManagerInfo] },
    RequestTaskManagerDetails: { type: 'RequestTaskManagerDetails', taskManagerId: NOBODY, replyTo: ref },
    TaskManagerDetails: { type: 'TaskManagerDetails', taskManager: taskManagerInfo },
    TaskManagerNotFound: { type: 'TaskManagerNotFound', taskManagerId: NOBODY },
    RequestTaskMetrics: { type: 'RequestTaskMetrics', jobId: MUTANT_JOB, executionAttemptIds: [ATTEMPT], replyTo: ref },
    TaskMetrics: {
      type: 'TaskMetrics',
      readings: [
        { executionAttemptId: ATTEMPT, metrics: subtaskMetrics },
        { executionAttemptId: ATTEMPT, metrics: null, unavailable: 'the task is opening' },
      ],
    },
    RequestTaskManagerMetrics: { type: 'RequestTaskManagerMetrics', replyTo: ref },
    TaskManagerMetricsReport: { type: 'TaskManagerMetricsReport', resourceId: NOBODY, metrics: processMetrics, slots: [slotInfo] },
    // collect
    CollectBatch: { type: 'CollectBatch', operatorId: 'collect-1', subtaskIndex: 0, sequence: 0, records: [1, 'two', { three: 3 }], replyTo: ref },
    CollectAck: { type: 'CollectAck', sequence: 0 },
    // dispatcher
    SubmitJob: {
      type: 'SubmitJob',
      jobId: MUTANT_JOB,
      jobGraph: MUTANT_GRAPH,
      bundle: 'mutant bundle',
      args: ['--n', '1'],
      planParallelism: 1,
      savepointPath: '/tmp/mutant-savepoints/savepoint-mutant-1',
      allowNonRestoredState: true,
      replyTo: ref,
    },
    TriggerSavepoint: { type: 'TriggerSavepoint', jobId: MUTANT_JOB, targetDirectory: '/tmp/mutant-savepoints', stop: false, replyTo: ref },
    SavepointCompleted: { type: 'SavepointCompleted', jobId: MUTANT_JOB, path: '/tmp/mutant-savepoints/savepoint-mutant-1' },
    SavepointFailed: { type: 'SavepointFailed', jobId: MUTANT_JOB, reason: 'expired' },
    JobSubmitted: { type: 'JobSubmitted', jobId: MUTANT_JOB },
    JobRejected: { type: 'JobRejected', jobId: MUTANT_JOB, reason: 'no' },
    CancelJob: { type: 'CancelJob', jobId: MUTANT_JOB, replyTo: ref },
    CancellationSuccess: { type: 'CancellationSuccess', jobId: MUTANT_JOB },
    CancellationFailure: { type: 'CancellationFailure', jobId: MUTANT_JOB, reason: 'no' },
    ListJobs: { type: 'ListJobs', replyTo: ref },
    JobList: { type: 'JobList', jobs: [overview] },
    RequestJobDetails: { type: 'RequestJobDetails', jobId: MUTANT_JOB, replyTo: ref },
    JobDetails: { type: 'JobDetails', job: overview, vertices: [{ id: 'v', name: 'V', parallelism: 1, subtasks: ['FAILED'] }] },
    JobNotFound: { type: 'JobNotFound', jobId: MUTANT_JOB },
    SubscribeJobStatus: { type: 'SubscribeJobStatus', jobId: MUTANT_JOB, subscriber: ref },
    RequestClusterInfo: { type: 'RequestClusterInfo', replyTo: ref },
    ClusterInfo: { type: 'ClusterInfo', taskManagers: 1, slotsTotal: 2, slotsFree: 2, runningJobs: 0 },
    RequestJobWatermarks: { type: 'RequestJobWatermarks', jobId: MUTANT_JOB, replyTo: ref },
    JobWatermarks: {
      type: 'JobWatermarks',
      jobId: MUTANT_JOB,
      subtasks: [
        { vertexId: 'mutant-source', subtaskIndex: 0, watermarks: subtaskWatermarks },
        { vertexId: 'mutant-source', subtaskIndex: 1, watermarks: null, unavailable: 'FINISHED' },
      ],
    },
    // job-manager
    UpdateTaskExecutionState: { type: 'UpdateTaskExecutionState', jobId: MUTANT_JOB, jobMasterId: MASTER, executionAttemptId: ATTEMPT, state: 'FAILED', error: errorInfo, metrics: subtaskMetrics },
    TaskManagerHeartbeat: {
      type: 'TaskManagerHeartbeat',
      jobId: MUTANT_JOB,
      resourceId: NOBODY,
      taskManager: ref,
      allocations: [ALLOCATION],
      executions: [{ executionAttemptId: ATTEMPT, state: 'FAILED', error: errorInfo }],
    },
    RequestNextInputSplit: { type: 'RequestNextInputSplit', jobMasterId: MASTER, executionAttemptId: ATTEMPT, vertexId: 'mutant-source', replyTo: ref },
    NextInputSplit: { type: 'NextInputSplit', split: { index: 0, payload: 'p' }, retry: false },
    RequestJobBundle: { type: 'RequestJobBundle', bundleHash: 'mutant-bundle', replyTo: ref },
    JobBundle: { type: 'JobBundle', bundleHash: 'mutant-bundle', code: 'export default () => {}' },
    CancelJobExecution: { type: 'CancelJobExecution' },
    // job-status
    JobStatusChanged: { type: 'JobStatusChanged', jobId: MUTANT_JOB, jobName: 'mutant', status: 'FAILED', timestamp: 1, error: errorInfo },
    // resource-manager
    RegisterTaskManager: {
      type: 'RegisterTaskManager',
      resourceId: NOBODY,
      slots: 0,
      incarnation: 'mutant-1',
      taskManager: ref,
      dataAddress: '127.0.0.1:9',
      slotReport: [{ index: 0, allocationId: ALLOCATION, jobId: MUTANT_JOB }],
      replyTo: ref,
    },
    AcknowledgeRegistration: { type: 'AcknowledgeRegistration', resourceId: NOBODY, resourceManagerId: 'rm-1' },
    DeclineRegistration: { type: 'DeclineRegistration', reason: 'no' },
    SlotReport: { type: 'SlotReport', resourceId: NOBODY, slots: [{ index: 0, allocationId: ALLOCATION, jobId: MUTANT_JOB }] },
    RequestSlots: { type: 'RequestSlots', jobId: MUTANT_JOB, count: 1000, timeoutMs: 1, jobManager: ref },
    SlotsAllocated: { type: 'SlotsAllocated', jobId: MUTANT_JOB, slots: [slot] },
    SlotRequestFailed: { type: 'SlotRequestFailed', jobId: MUTANT_JOB, reason: 'no' },
    CancelSlotRequest: { type: 'CancelSlotRequest', jobId: MUTANT_JOB },
    RequestClusterOverview: { type: 'RequestClusterOverview', replyTo: ref },
    ClusterOverview: { type: 'ClusterOverview', taskManagers: 1, slotsTotal: 2, slotsFree: 2 },
    WatchTaskManagers: { type: 'WatchTaskManagers', watcher: ref },
    TaskManagersChanged: { type: 'TaskManagersChanged', addresses: ['weir://taskmanager-1@127.0.0.1:6124'] },
    // task-manager
    AllocateSlot: { type: 'AllocateSlot', allocationId: ALLOCATION, jobId: MUTANT_JOB, slotIndex: 99, jobManager: ref, replyTo: ref },
    SlotAllocated: { type: 'SlotAllocated', allocationId: ALLOCATION },
    SlotAllocationFailed: { type: 'SlotAllocationFailed', allocationId: ALLOCATION, reason: 'no' },
    SubmitTask: { type: 'SubmitTask', descriptor, replyTo: ref },
    TaskSubmitted: { type: 'TaskSubmitted', executionAttemptId: ATTEMPT },
    TaskSubmissionFailed: { type: 'TaskSubmissionFailed', executionAttemptId: ATTEMPT, reason: 'no' },
    CancelTask: { type: 'CancelTask', executionAttemptId: ATTEMPT },
    FailTask: { type: 'FailTask', executionAttemptId: ATTEMPT, reason: 'no' },
    ReleaseJob: { type: 'ReleaseJob', jobId: MUTANT_JOB, reason: 'no' },
    PrepareJob: { type: 'PrepareJob', jobId: MUTANT_JOB, bundleHash: 'bundle-1', jobArgs: ['--rate', '5'], planParallelism: 2, jobManager: ref },
    JobManagerHeartbeat: { type: 'JobManagerHeartbeat', jobId: MUTANT_JOB, allocations: [ALLOCATION], executions: [ATTEMPT] },
    RequestTaskWatermarks: { type: 'RequestTaskWatermarks', jobId: MUTANT_JOB, executionAttemptIds: [ATTEMPT], replyTo: ref },
    TriggerCheckpoint: { type: 'TriggerCheckpoint', jobId: MUTANT_JOB, executionAttemptIds: [ATTEMPT], checkpointId: 1, timestamp: 1_700_000_000_000, mode: 'EXACTLY_ONCE', savepoint: false, unaligned: true },
    NotifyCheckpointComplete: { type: 'NotifyCheckpointComplete', jobId: MUTANT_JOB, executionAttemptIds: [ATTEMPT], checkpointId: 1 },
    NotifyCheckpointAborted: { type: 'NotifyCheckpointAborted', jobId: MUTANT_JOB, executionAttemptIds: [ATTEMPT], checkpointId: 1, reason: 'expired' },
    AcknowledgeCheckpoint: {
      type: 'AcknowledgeCheckpoint',
      jobId: MUTANT_JOB,
      jobMasterId: MASTER,
      executionAttemptId: ATTEMPT,
      checkpointId: 1,
      handle: { path: '/tmp/mutant-checkpoints/mutant-job/chk-1/mutant-source-0-0.state', bytes: 120 },
      splitsReceived: 1,
      syncMs: 0.5,
      asyncMs: 2,
      inFlightBytes: 640,
    },
    DeclineCheckpoint: { type: 'DeclineCheckpoint', jobId: MUTANT_JOB, jobMasterId: MASTER, executionAttemptId: ATTEMPT, checkpointId: 1, reason: 'not running', failure: false },
    TaskWatermarks: {
      type: 'TaskWatermarks',
      readings: [
        { executionAttemptId: ATTEMPT, watermarks: subtaskWatermarks },
        { executionAttemptId: ATTEMPT, watermarks: null, unavailable: 'the task is opening' },
      ],
    },
  };
}
