// The JobManager's checkpoint messaging (job-checkpoints.ts) against a scripted TaskManager: a
// race at the end of a bounded job whose sinks wait for their final checkpoint (FLIP-147).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { type ActorRef, ActorSystem, Behaviors } from '../../../actors/index.ts';
import type { ResolvedCheckpointing } from '../../../cluster/jobmanager/checkpoint-coordinator.ts';
import type { JobUpdated } from '../../../cluster/jobmanager/events.ts';
import { type JobId, jobId, resourceId } from '../../../messages/ids.ts';
import type { JobStatus } from '../../../messages/job-status.ts';
import type { ResourceManagerMsg } from '../../../messages/resource-manager.ts';
import type { TaskDeploymentDescriptor, TaskManagerMsg } from '../../../messages/task-manager.ts';
import { acknowledgementOf, codelessJobManager, emptyResourceManagerLog, eventually, fakeResourceManager, graph, slotOn, vertex } from '../helpers.ts';

const JOB: JobId = jobId('job-1');
/** Far beyond the spec's bound: a checkpoint that only its timeout ends keeps the job running past it. */
const CHECKPOINT_TIMEOUT_MS = 60_000;
const JOB_END_BOUND_MS = 5_000;

/** Exactly-once checkpoints every `intervalMs`, one at a time, none failing the job. */
function checkpointing(intervalMs: number, jobDirectory: string): ResolvedCheckpointing {
  return { intervalMs, mode: 'EXACTLY_ONCE', timeoutMs: CHECKPOINT_TIMEOUT_MS, minPauseMs: 0, maxConcurrent: 1, tolerableFailures: 0, retained: 1, retention: 'DELETE_ON_CANCELLATION', jobDirectory };
}

function checkpointDirectory(t: ExecutionContext): string {
  const root = mkdtempSync(join(tmpdir(), 'weir-job-checkpoints-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return join(root, 'job-1');
}

test('a source whose trigger finds its task gone leaves no checkpoint pending: its sinks waiting for a final checkpoint are triggered directly', async (t) => {
  const system = await ActorSystem.create({ name: 'job-checkpoints', log: { level: 'off' } });
  t.teardown(() => system.terminate());
  const jobDirectory = checkpointDirectory(t);
  const submitted: TaskDeploymentDescriptor[] = [];
  /** Each TriggerCheckpoint and NotifyCheckpointComplete: the checkpoint id and the vertices of its attempts. */
  const triggers: [number, string[]][] = [];
  const notified: [number, string[]][] = [];
  const statuses: JobStatus[] = [];
  const report = (descriptor: TaskDeploymentDescriptor, state: 'RUNNING' | 'FINISHED'): void =>
    descriptor.jobManager.tell({ type: 'UpdateTaskExecutionState', jobId: descriptor.jobId, jobMasterId: descriptor.jobMasterId, executionAttemptId: descriptor.executionAttemptId, state });
  const named = (ids: readonly string[]): TaskDeploymentDescriptor[] => submitted.filter((descriptor) => ids.includes(descriptor.executionAttemptId));
  const label = (descriptor: TaskDeploymentDescriptor): string => `${descriptor.vertex.id}-${descriptor.subtaskIndex}`;
  const tm = system.spawn(
    Behaviors.receiveMessage<TaskManagerMsg>((msg) => {
      switch (msg.type) {
        case 'SubmitTask':
          submitted.push(msg.descriptor);
          msg.replyTo.tell({ type: 'TaskSubmitted', executionAttemptId: msg.descriptor.executionAttemptId });
          report(msg.descriptor, 'RUNNING');
          break;
        case 'TriggerCheckpoint':
          triggers.push([msg.checkpointId, named(msg.executionAttemptIds).map(label)]);
          for (const descriptor of named(msg.executionAttemptIds)) {
            // The source read its last record just before: its task is gone and the trigger finds
            // nothing (a TaskManager drops it), and its FINISHED report is on its way.
            if (descriptor.vertex.id === 'source') report(descriptor, 'FINISHED');
            // A sink at the end of its input snapshots its open transaction.
            else {
              descriptor.jobManager.tell(acknowledgementOf(descriptor, msg.checkpointId, join(jobDirectory, `chk-${msg.checkpointId}`, label(descriptor))));
            }
          }
          break;
        case 'NotifyCheckpointComplete':
          // The final checkpoint completed: each sink commits and finishes.
          notified.push([msg.checkpointId, named(msg.executionAttemptIds).map(label)]);
          for (const descriptor of named(msg.executionAttemptIds)) if (descriptor.vertex.id === 'sink') report(descriptor, 'FINISHED');
          break;
        default:
          break;
      }
      return Behaviors.same;
    }),
    'tm-0',
  );
  const slots = (count: number) => Array.from({ length: count }, (_, index) => slotOn(tm, resourceId('tm-0'), index, `allocation-${index}`));
  const rm = system.spawn(fakeResourceManager(emptyResourceManagerLog(), { slots }), 'rm');
  const events = system.spawn(
    Behaviors.receiveMessage<JobUpdated>((update) => {
      if (statuses.at(-1) !== update.status) statuses.push(update.status);
      return Behaviors.same;
    }),
    'events',
  );
  const source = vertex('source', 1);
  const sink = vertex('sink', 2, { inputs: [{ sourceVertexId: 'source', sourceOperatorId: 'source-op', partitioning: 'rebalance', targetInput: 0 }] });
  system.spawn(
    codelessJobManager({
      jobId: JOB,
      graph: graph([source, sink]),
      resourceManager: rm as ActorRef<ResourceManagerMsg>,
      events,
      checkpointing: checkpointing(20, jobDirectory),
    }),
    'jm',
  );

  await eventually(() => statuses.at(-1) === 'FINISHED', 'the job to finish', JOB_END_BOUND_MS);
  t.deepEqual(statuses, ['CREATED', 'RUNNING', 'FINISHED']);
  t.deepEqual(triggers, [
    [1, ['source-0']],
    [1, ['sink-0', 'sink-1']],
  ], 'checkpoint 1 goes on at the sinks once its source is known finished');
  t.deepEqual(notified, [[1, ['source-0', 'sink-0', 'sink-1']]], 'the sinks commit at checkpoint 1');
});

test('a periodic checkpoint skipped while a task was not running yet is triggered as soon as the last task runs, not an interval later', async (t) => {
  const INTERVAL_MS = 2_000;
  const system = await ActorSystem.create({ name: 'job-checkpoints-owed', log: { level: 'off' } });
  t.teardown(() => system.terminate());
  const jobDirectory = checkpointDirectory(t);
  const submitted: TaskDeploymentDescriptor[] = [];
  const triggers: number[] = [];
  const report = (descriptor: TaskDeploymentDescriptor): void =>
    descriptor.jobManager.tell({ type: 'UpdateTaskExecutionState', jobId: descriptor.jobId, jobMasterId: descriptor.jobMasterId, executionAttemptId: descriptor.executionAttemptId, state: 'RUNNING' });
  const tm = system.spawn(
    Behaviors.receiveMessage<TaskManagerMsg>((msg) => {
      if (msg.type === 'SubmitTask') {
        submitted.push(msg.descriptor);
        msg.replyTo.tell({ type: 'TaskSubmitted', executionAttemptId: msg.descriptor.executionAttemptId });
        // The sink restores a large state: it runs only later.
        if (msg.descriptor.vertex.id !== 'sink') report(msg.descriptor);
      }
      if (msg.type === 'TriggerCheckpoint') triggers.push(performance.now());
      return Behaviors.same;
    }),
    'tm-0',
  );
  const slots = (count: number) => Array.from({ length: count }, (_, index) => slotOn(tm, resourceId('tm-0'), index, `allocation-${index}`));
  const rm = system.spawn(fakeResourceManager(emptyResourceManagerLog(), { slots }), 'rm');
  const events = system.spawn(Behaviors.receiveMessage<JobUpdated>(() => Behaviors.same), 'events');
  const source = vertex('source', 1);
  const sink = vertex('sink', 1, { inputs: [{ sourceVertexId: 'source', sourceOperatorId: 'source-op', partitioning: 'forward', targetInput: 0 }] });
  const started = performance.now();
  system.spawn(
    codelessJobManager({
      jobId: JOB,
      graph: graph([source, sink]),
      resourceManager: rm as ActorRef<ResourceManagerMsg>,
      events,
      checkpointing: checkpointing(INTERVAL_MS, jobDirectory),
    }),
    'jm',
  );
  await eventually(() => submitted.length === 2, 'both tasks to be deployed', JOB_END_BOUND_MS);
  // Past the first tick (one interval after the deployment), which found the sink not running.
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS + 300 - (performance.now() - started)));
  t.deepEqual(triggers, [], 'no checkpoint while the sink is not running');
  const runningAt = performance.now();
  report(submitted.find((descriptor) => descriptor.vertex.id === 'sink') as TaskDeploymentDescriptor);
  await eventually(() => triggers.length > 0, 'the owed checkpoint', JOB_END_BOUND_MS);
  // The next tick comes ~1.7 s after the sink runs; the owed checkpoint at once.
  t.true(triggers[0] - runningAt < INTERVAL_MS / 2, `triggered ${Math.round(triggers[0] - runningAt)} ms after the last task ran`);
});
