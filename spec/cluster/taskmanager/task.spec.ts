// The Task actor on its own: the states it reports while it loads the job code, opens, runs and
// closes one subtask, and how a cancel or a failure at each of those points ends it.
import test, { type ExecutionContext } from 'ava';
import { interval } from 'rxjs';
import { type ActorRef, type ActorSystem, Behaviors } from '../../../actors/index.ts';
import type { JobModule } from '../../../api/index.ts';
import type { JobPlan } from '../../../api/internal.ts';
import { planJob } from '../../../api/runtime/plan.ts';
import { type JobCodeLoader, type JobCodeRequest } from '../../../cluster/taskmanager/job-code.ts';
import { NetworkEnvironment } from '../../../cluster/taskmanager/network/network-environment.ts';
import { type TaskCommand, type TaskStateChanged, task } from '../../../cluster/taskmanager/task.ts';
import { jobId } from '../../../messages/ids.ts';
import type { JobVertex } from '../../../messages/job-graph.ts';
import type { JobManagerMsg } from '../../../messages/job-manager.ts';
import type { TaskDeploymentDescriptor } from '../../../messages/task-manager.ts';
import type { TaskWatermarkReading } from '../../../messages/watermarks.ts';
import { TestProbe, createTestSystem } from '../../testkit/index.ts';
import { type Stop, descriptorFor, fakeJobManager, within } from '../helpers.ts';

const JOB = jobId('job-1');

/** A loader whose plan arrives when the spec says so. */
class ManualLoader implements JobCodeLoader {
  readonly requests: JobCodeRequest[] = [];
  released = 0;
  private resolvePlan!: (plan: JobPlan) => void;
  private rejectPlan!: (error: Error) => void;
  private readonly plan = new Promise<JobPlan>((resolve, reject) => {
    this.resolvePlan = resolve;
    this.rejectPlan = reject;
  });

  load(request: JobCodeRequest): Promise<JobPlan> {
    this.requests.push(request);
    return this.plan;
  }

  release(): void {
    this.released++;
  }

  resolve(plan: JobPlan): void {
    this.resolvePlan(plan);
  }

  reject(error: Error): void {
    this.rejectPlan(error);
  }
}

/** A loader that plans the module at once. */
const planning = (module: JobModule): JobCodeLoader => ({ load: (request) => planJob(module, request.args), release: () => {} });

interface Running {
  readonly system: ActorSystem;
  readonly ref: ActorRef<TaskCommand>;
  readonly states: TestProbe<TaskStateChanged>;
  readonly jm: ActorRef<JobManagerMsg | Stop>;
  readonly jmSaw: JobManagerMsg[];
  readonly descriptor: TaskDeploymentDescriptor;
}

async function start(t: ExecutionContext, loader: JobCodeLoader, vertex: JobVertex, extra: Partial<TaskDeploymentDescriptor> = {}): Promise<Running> {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const jmSaw: JobManagerMsg[] = [];
  const jm = system.spawn(fakeJobManager(jmSaw, vertex.splits ?? []), 'jm');
  const states = new TestProbe<TaskStateChanged>(system, 'task-manager');
  const descriptor = descriptorFor(JOB, vertex, jm, extra);
  const ref = system.spawn(task({ descriptor, loader, reportTo: states.ref, network: new NetworkEnvironment(() => true), stdout: () => {} }), 'task');
  return { system, ref, states, jm, jmSaw, descriptor };
}

/** Takes reported states until a terminal one; returns them all with the last error. */
async function statesUntilEnd(probe: TestProbe<TaskStateChanged>): Promise<{ states: string[]; error?: TaskStateChanged['error'] }> {
  const states: string[] = [];
  for (;;) {
    const change = await probe.expectMessage();
    states.push(change.state);
    if (['FINISHED', 'CANCELED', 'FAILED'].includes(change.state)) return { states, ...(change.error ? { error: change.error } : {}) };
  }
}

async function planned(module: JobModule): Promise<{ plan: JobPlan; vertex: JobVertex }> {
  const plan = await planJob(module, []);
  return { plan, vertex: plan.graph.vertices[0] };
}

test('a bounded subtask reports INITIALIZING, RUNNING and FINISHED, reading its splits from the JobManager', async (t) => {
  const out: number[] = [];
  const module: JobModule = (env) => void env.fromSequence(1, 2_500).sinkTo((n) => void out.push(n));
  const { vertex } = await planned(module);
  const { ref, states } = await start(t, planning(module), vertex);
  states.watch(ref as ActorRef<never>);
  const ended = await statesUntilEnd(states);
  t.deepEqual(ended, { states: ['INITIALIZING', 'RUNNING', 'FINISHED'] });
  t.is(out.length, 2_500);
  t.deepEqual(out, Array.from({ length: 2_500 }, (_, index) => index + 1));
  await states.expectTerminated();
});

test('every reported state carries the task’s descriptor', async (t) => {
  const module: JobModule = (env) => void env.fromElements(1).sinkTo(() => {});
  const { vertex } = await planned(module);
  const { states, descriptor } = await start(t, planning(module), vertex);
  const first = await states.expectMessage();
  t.is(first.type, 'TaskStateChanged');
  t.deepEqual(first.descriptor, descriptor);
});

test('the loader gets the job’s id, bundle hash, args and plan parallelism, and fetches the bundle from the JobManager', async (t) => {
  const module: JobModule = (env) => void env.fromElements(1).sinkTo(() => {});
  const { vertex } = await planned(module);
  const requests: JobCodeRequest[] = [];
  const fetched: string[] = [];
  const loader: JobCodeLoader = {
    load: async (request) => {
      requests.push(request);
      fetched.push(await request.fetchBundle());
      return planJob(module, request.args);
    },
    release: () => {},
  };
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const bundleServer = system.spawn(
    Behaviors.receiveMessage<JobManagerMsg>((msg) => {
      if (msg.type === 'RequestJobBundle') msg.replyTo.tell({ type: 'JobBundle', bundleHash: msg.bundleHash, code: `code of ${msg.bundleHash}` });
      if (msg.type === 'RequestNextInputSplit') msg.replyTo.tell({ type: 'NextInputSplit', split: null });
      return Behaviors.same;
    }),
    'jm',
  );
  const states = new TestProbe<TaskStateChanged>(system);
  const descriptor = descriptorFor(JOB, vertex, bundleServer, { jobArgs: ['a', 'b'], planParallelism: 3 });
  system.spawn(task({ descriptor, loader, reportTo: states.ref, network: new NetworkEnvironment(() => true) }), 'task');
  t.deepEqual((await statesUntilEnd(states)).states, ['INITIALIZING', 'RUNNING', 'FINISHED']);
  t.like(requests[0], { jobId: JOB, bundleHash: `bundle-of-${JOB}`, args: ['a', 'b'], planParallelism: 3 });
  t.deepEqual(fetched, [`code of bundle-of-${JOB}`]);
});

test('a cancel while the job code loads ends the task CANCELED without running it', async (t) => {
  let opened = false;
  const module: JobModule = (env) => void env.fromElements(1).sinkTo({ invoke: () => {}, open: () => void (opened = true) });
  const { plan, vertex } = await planned(module);
  const loader = new ManualLoader();
  const { ref, states } = await start(t, loader, vertex);
  t.is((await states.expectMessage()).state, 'INITIALIZING');
  ref.tell({ type: 'CancelTask' });
  await states.expectNoMessage(20);
  loader.resolve(plan);
  t.deepEqual(await statesUntilEnd(states), { states: ['CANCELED'] });
  t.false(opened);
});

test('a FailTask while the job code loads ends the task FAILED with the reason', async (t) => {
  const module: JobModule = (env) => void env.fromElements(1).sinkTo(() => {});
  const { plan, vertex } = await planned(module);
  const loader = new ManualLoader();
  const { ref, states } = await start(t, loader, vertex);
  ref.tell({ type: 'FailTask', reason: 'the JobManager gave up' });
  loader.resolve(plan);
  t.deepEqual(await statesUntilEnd(states), { states: ['INITIALIZING', 'FAILED'], error: { name: 'TaskFailed', message: 'the JobManager gave up' } });
});

test('a loader that fails ends the task FAILED naming the vertex and subtask', async (t) => {
  const { vertex } = await planned((env) => void env.fromElements(1).sinkTo(() => {}));
  const loader = new ManualLoader();
  const { states } = await start(t, loader, vertex, { subtaskIndex: 0 });
  loader.reject(new TypeError('the bundle has no default export'));
  const ended = await statesUntilEnd(states);
  t.deepEqual(ended.states, ['INITIALIZING', 'FAILED']);
  t.like(ended.error, { name: 'TypeError', message: `${vertex.name} (1/1): loading the job code failed: the bundle has no default export` });
});

test('a vertex the job module did not plan ends the task FAILED with PLAN_MISMATCH', async (t) => {
  const { vertex } = await planned((env) => void env.fromElements(1).sinkTo(() => {}));
  const other: JobModule = (env) => void env.fromSequence(1, 3).print();
  const { states } = await start(t, planning(other), { ...vertex, id: 'not-planned' });
  const ended = await statesUntilEnd(states);
  t.deepEqual(ended.states, ['INITIALIZING', 'FAILED']);
  t.is(ended.error?.code, 'PLAN_MISMATCH');
  t.regex(ended.error?.message ?? '', /\(1\/1\): building the operator chain failed: vertex "not-planned" .* is not in this plan/);
});

test('a cancel while the operators open ends the task CANCELED once they opened, and closes them', async (t) => {
  let finishOpening!: () => void;
  let closed = false;
  const module: JobModule = (env) =>
    void env.fromElements(1).sinkTo({
      invoke: () => {},
      open: () => new Promise<void>((resolve) => (finishOpening = resolve)),
      close: () => void (closed = true),
    });
  const { vertex } = await planned(module);
  const { ref, states } = await start(t, planning(module), vertex);
  t.is((await states.expectMessage()).state, 'INITIALIZING');
  await within(
    (async () => {
      while (finishOpening === undefined) await new Promise((resolve) => setTimeout(resolve, 2));
    })(),
    'the sink starting to open',
    2_000,
  );
  ref.tell({ type: 'CancelTask' });
  await states.expectNoMessage(20);
  finishOpening();
  t.deepEqual(await statesUntilEnd(states), { states: ['CANCELED'] });
  t.true(closed);
});

test('an open() that throws ends the task FAILED naming the operator', async (t) => {
  const module: JobModule = (env) =>
    void env
      .fromElements(1)
      .sinkTo({
        invoke: () => {},
        open: () => {
          throw new Error('no database');
        },
      })
      .name('Database');
  const { vertex } = await planned(module);
  const { states } = await start(t, planning(module), vertex);
  const ended = await statesUntilEnd(states);
  t.deepEqual(ended.states, ['INITIALIZING', 'FAILED']);
  t.regex(ended.error?.message ?? '', /\(1\/1\): open failed: operator "Database" \(id "[^"]+"\) failed in open\(\): no database$/);
});

test('a close() that throws after the input ended turns FINISHED into FAILED', async (t) => {
  const module: JobModule = (env) =>
    void env
      .fromElements(1)
      .sinkTo({
        invoke: () => {},
        close: () => {
          throw new Error('flush lost');
        },
      })
      .name('Flaky Sink');
  const { vertex } = await planned(module);
  const { states } = await start(t, planning(module), vertex);
  const ended = await statesUntilEnd(states);
  t.deepEqual(ended.states, ['INITIALIZING', 'RUNNING', 'FAILED']);
  t.regex(ended.error?.message ?? '', /close failed: operator "Flaky Sink" .* failed in close\(\): flush lost$/);
});

test('a user function that throws on a record ends the task FAILED naming the operator', async (t) => {
  const module: JobModule = (env) =>
    void env
      .fromSequence(1, 10)
      .map((n) => {
        if (n === 4) throw new RangeError('four');
        return n;
      })
      .name('Picky')
      .sinkTo(() => {});
  const { vertex } = await planned(module);
  const { states } = await start(t, planning(module), vertex);
  const ended = await statesUntilEnd(states);
  t.deepEqual(ended.states, ['INITIALIZING', 'RUNNING', 'FAILED']);
  t.is(ended.error?.code, 'USER_FUNCTION_FAILED');
  t.regex(ended.error?.message ?? '', /^.+ \(1\/1\): failed: operator "Picky" \(id "[^"]+"\) failed on a record: four$/);
});

test('a cancel while running reports CANCELING, then CANCELED, and closes the operators', async (t) => {
  let ticks = 0;
  let closed = false;
  const module: JobModule = (env) => void env.fromObservable(() => interval(2)).sinkTo({ invoke: () => void ticks++, close: () => void (closed = true) });
  const { vertex } = await planned(module);
  const { ref, states } = await start(t, planning(module), vertex);
  t.is((await states.expectMessage()).state, 'INITIALIZING');
  t.is((await states.expectMessage()).state, 'RUNNING');
  ref.tell({ type: 'CancelTask' });
  ref.tell({ type: 'CancelTask' });
  t.deepEqual(await statesUntilEnd(states), { states: ['CANCELING', 'CANCELED'] });
  t.true(closed);
  const seen = ticks;
  await states.expectNoMessage(20);
  t.is(ticks, seen, 'no record after the cancel');
});

test('a message of another protocol is an unhandled dead letter and the task runs on', async (t) => {
  let ticks = 0;
  const module: JobModule = (env) => void env.fromObservable(() => interval(2)).sinkTo(() => void ticks++);
  const { vertex } = await planned(module);
  const { system, ref, states } = await start(t, planning(module), vertex);
  t.is((await states.expectMessage()).state, 'INITIALIZING');
  t.is((await states.expectMessage()).state, 'RUNNING');
  // A task's path is reachable from the wire: any registered message may arrive there.
  (ref as ActorRef<unknown>).tell({ type: 'ListJobs', replyTo: states.ref });
  const seen = ticks;
  await within(
    new Promise<void>((resolve) => {
      const check = (): unknown => (ticks > seen + 2 ? resolve() : setTimeout(check, 2));
      check();
    }),
    'more records after the message',
  );
  t.is(system.deadLetterCounts.unhandled, 1);
  ref.tell({ type: 'CancelTask' });
  t.deepEqual(await statesUntilEnd(states), { states: ['CANCELING', 'CANCELED'] });
});

test('a task reports its subtask’s watermarks on its own turn while running, and why not before', async (t) => {
  const module: JobModule = (env) => void env.fromObservable(() => interval(2)).sinkTo(() => {});
  const { plan, vertex } = await planned(module);
  const loader = new ManualLoader();
  const { system, ref, states, descriptor } = await start(t, loader, vertex);
  const readings = new TestProbe<TaskWatermarkReading>(system, 'readings');
  t.is((await states.expectMessage()).state, 'INITIALIZING');
  ref.tell({ type: 'ReportWatermarks', replyTo: readings.ref });
  t.deepEqual(await readings.expectMessage(), { executionAttemptId: descriptor.executionAttemptId, watermarks: null, unavailable: 'the task is loading' });
  loader.resolve(plan);
  t.is((await states.expectMessage()).state, 'RUNNING');
  ref.tell({ type: 'ReportWatermarks', replyTo: readings.ref });
  t.deepEqual(await readings.expectMessage(), {
    executionAttemptId: descriptor.executionAttemptId,
    watermarks: { inputWatermark: null, outputWatermark: null, outputIdle: false, inputs: [], splits: null },
  });
  ref.tell({ type: 'CancelTask' });
  t.deepEqual(await statesUntilEnd(states), { states: ['CANCELING', 'CANCELED'] });
});
