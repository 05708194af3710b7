// A restarting JobManager against the late and lost messages of the attempts it replaced (found in
// review): a replaced attempt's late SubmitTask answer does not fail the new run; a CancelTask lost
// while RESTARTING is sent again with the heartbeats; a stop after a savepoint that meets a restart
// still ends the job. A scripted TaskManager stands in for the real one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { type ActorRef, ActorSystem, Behaviors } from '../../../actors/index.ts';
import { createRestartBackoff } from '../../../cluster/jobmanager/restart-strategy.ts';
import { type JobId, jobId, resourceId } from '../../../messages/ids.ts';
import type { JobManagerMsg } from '../../../messages/job-manager.ts';
import type { ExecutionState } from '../../../messages/job-status.ts';
import type { ResourceManagerMsg } from '../../../messages/resource-manager.ts';
import type { SubmitTaskReply, TaskDeploymentDescriptor, TaskManagerMsg } from '../../../messages/task-manager.ts';
import type { JobUpdated } from '../../../cluster/jobmanager/events.ts';
import { acknowledgementOf, codelessJobManager, emptyResourceManagerLog, eventually, fakeResourceManager, graph, slotOn, vertex } from '../helpers.ts';

const JOB: JobId = jobId('job-1');

/** The job's checkpoint directory, in a temporary directory removed after the test. */
function checkpointDirectory(t: ExecutionContext): string {
  const root = mkdtempSync(join(tmpdir(), 'weir-restart-races-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return join(root, 'job-1');
}

interface Scripted {
  readonly submitted: TaskDeploymentDescriptor[];
  readonly states: Map<string, ExecutionState>;
  readonly statuses: string[];
  readonly jm: ActorRef<JobManagerMsg>;
  readonly tm: ActorRef<TaskManagerMsg>;
  /** The last cause the JobManager published. */
  cause(): string | undefined;
  report(descriptor: TaskDeploymentDescriptor, state: ExecutionState): void;
}

/**
 * A JobManager of a two-subtask job with one restart of 10 ms, on a scripted TaskManager that runs
 * every task it gets (a SubmitTask it decides to hold is left unanswered; a CancelTask it decides to
 * drop is lost).
 */
async function scripted(
  t: ExecutionContext,
  hold: (descriptor: TaskDeploymentDescriptor) => boolean,
  drop: (descriptor: TaskDeploymentDescriptor) => boolean,
  /** With it, the job checkpoints every 20 ms and the TaskManager acknowledges each trigger with this file. */
  acknowledgeWith?: string,
): Promise<Scripted & { held: { replyTo: ActorRef<SubmitTaskReply>; descriptor: TaskDeploymentDescriptor }[] }> {
  const system = await ActorSystem.create({ name: 'restart-races', log: { level: 'off' } });
  t.teardown(() => system.terminate());
  const submitted: TaskDeploymentDescriptor[] = [];
  const held: { replyTo: ActorRef<SubmitTaskReply>; descriptor: TaskDeploymentDescriptor }[] = [];
  const states = new Map<string, ExecutionState>();
  const statuses: string[] = [];
  let cause: string | undefined;
  const report = (descriptor: TaskDeploymentDescriptor, state: ExecutionState): void => {
    states.set(descriptor.executionAttemptId, state);
    descriptor.jobManager.tell({ type: 'UpdateTaskExecutionState', jobId: descriptor.jobId, jobMasterId: descriptor.jobMasterId, executionAttemptId: descriptor.executionAttemptId, state });
  };
  const tm = system.spawn(
    Behaviors.receiveMessage<TaskManagerMsg>((msg) => {
      if (msg.type === 'SubmitTask') {
        submitted.push(msg.descriptor);
        if (hold(msg.descriptor)) held.push({ replyTo: msg.replyTo, descriptor: msg.descriptor });
        else msg.replyTo.tell({ type: 'TaskSubmitted', executionAttemptId: msg.descriptor.executionAttemptId });
        report(msg.descriptor, 'RUNNING');
      } else if (msg.type === 'CancelTask') {
        const descriptor = submitted.find((candidate) => candidate.executionAttemptId === msg.executionAttemptId);
        if (descriptor && !drop(descriptor)) report(descriptor, 'CANCELED');
      } else if (msg.type === 'TriggerCheckpoint' && acknowledgeWith !== undefined) {
        for (const descriptor of submitted.filter((candidate) => msg.executionAttemptIds.includes(candidate.executionAttemptId))) {
          descriptor.jobManager.tell(acknowledgementOf(descriptor, msg.checkpointId, acknowledgeWith));
        }
      }
      return Behaviors.same;
    }),
    'tm-0',
  );
  const slots = (count: number) => Array.from({ length: count }, (_, index) => slotOn(tm as never, resourceId('tm-0'), index, `allocation-${index}`));
  const rm = system.spawn(fakeResourceManager(emptyResourceManagerLog(), { slots }), 'rm');
  const events = system.spawn(
    Behaviors.receiveMessage<JobUpdated>((update) => {
      if (statuses.at(-1) !== update.status) statuses.push(update.status);
      if (update.error) cause = update.error.message;
      return Behaviors.same;
    }),
    'events',
  );
  const jm = system.spawn(
    codelessJobManager({
      jobId: JOB,
      graph: graph([vertex('v', 2, { bounded: false })]),
      resourceManager: rm as ActorRef<ResourceManagerMsg>,
      events,
      restart: createRestartBackoff({ type: 'fixed-delay', attempts: 1, delayMs: 10 }),
      ...(acknowledgeWith === undefined
        ? {}
        : {
            checkpointing: { intervalMs: 20, mode: 'EXACTLY_ONCE', timeoutMs: 5_000, minPauseMs: 0, maxConcurrent: 1, tolerableFailures: 0, retained: 1, retention: 'DELETE_ON_CANCELLATION', jobDirectory: checkpointDirectory(t) },
          }),
    }),
    'jm',
  );
  await eventually(() => submitted.length === 2, 'the first deployment');
  return { submitted, held, states, statuses, jm, tm, cause: () => cause, report };
}

const attempt = (submitted: readonly TaskDeploymentDescriptor[], subtask: number, number: number): TaskDeploymentDescriptor => {
  const found = submitted.find((descriptor) => descriptor.subtaskIndex === subtask && descriptor.attemptNumber === number);
  if (!found) throw new Error(`no attempt ${number} of subtask ${subtask}`);
  return found;
};

test('a replaced attempt\'s late SubmitTask answer does not fail the run that replaced it', async (t) => {
  const job = await scripted(t, (descriptor) => descriptor.attemptNumber === 0 && descriptor.subtaskIndex === 0, () => false);
  job.report(attempt(job.submitted, 1, 0), 'FAILED');
  await eventually(() => job.submitted.length === 4, 'the redeployment');
  await eventually(() => job.statuses.at(-1) === 'RUNNING', 'the job running again');
  const [late] = job.held;
  late.replyTo.tell({ type: 'TaskSubmissionFailed', executionAttemptId: late.descriptor.executionAttemptId, reason: 'late answer for attempt 0' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.deepEqual(job.statuses, ['CREATED', 'RUNNING', 'RESTARTING', 'RUNNING']);
});

test('a CancelTask lost while the job restarts is sent again with the next heartbeat, and the restart goes on', async (t) => {
  let dropped = 0;
  const job = await scripted(t, () => false, (descriptor) => descriptor.subtaskIndex === 0 && descriptor.attemptNumber === 0 && dropped++ === 0);
  job.report(attempt(job.submitted, 1, 0), 'FAILED');
  await eventually(() => dropped === 1, 'the first CancelTask, lost');
  const heartbeat = () =>
    job.jm.tell({
      type: 'TaskManagerHeartbeat',
      jobId: JOB,
      resourceId: resourceId('tm-0'),
      taskManager: job.tm,
      allocations: ['allocation-0', 'allocation-1'] as never,
      executions: job.submitted.map((descriptor) => ({ executionAttemptId: descriptor.executionAttemptId, state: job.states.get(descriptor.executionAttemptId) ?? 'RUNNING' })),
    });
  heartbeat();
  await eventually(() => job.submitted.length === 4, 'the redeployment after the CancelTask was sent again');
  t.is(attempt(job.submitted, 0, 1).attemptNumber, 1);
  t.deepEqual(job.statuses, ['CREATED', 'RUNNING', 'RESTARTING', 'RUNNING']);
});

test('an acknowledgement naming a file outside the checkpoint\'s directory aborts the checkpoint, naming the file', async (t) => {
  const job = await scripted(t, () => false, () => false, '/etc/passwd');
  await eventually(() => job.statuses.at(-1) === 'FAILED', 'the job to fail on its failed checkpoints', 10_000);
  t.regex(job.cause() ?? '', /acknowledged with \/etc\/passwd, which is not in \/\S+\/job-1\/chk-\d+/);
});
