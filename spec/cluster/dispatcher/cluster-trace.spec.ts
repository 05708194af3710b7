// The cluster trace: the JobManager process's trace plus every TaskManager's, filtered at each side,
// from the JobManager process itself (a MiniCluster) and from a client's system over the wire.
import test, { type ExecutionContext } from 'ava';
import type { Subscription } from 'rxjs';
import { type ActorRef, type ActorSystem, WsTransport } from '../../../actors/index.ts';
import type { JobModule } from '../../../api/index.ts';
import { type ClusterTraceItem, type TraceQuery, clusterTrace$ } from '../../../cluster/dispatcher/cluster-trace.ts';
import { MiniCluster } from '../../../cluster/minicluster.ts';
import { EmbeddedLoader } from '../../../cluster/taskmanager/job-code.ts';
import { NetworkEnvironment } from '../../../cluster/taskmanager/network/network-environment.ts';
import { taskManager } from '../../../cluster/taskmanager/task-manager.ts';
import { DISPATCHER_NAME, RESOURCE_MANAGER_NAME, TASK_MANAGER_NAME } from '../../../messages/addresses.ts';
import type { DispatcherMsg } from '../../../messages/dispatcher.ts';
import { resourceId } from '../../../messages/ids.ts';
import { startSystem } from '../../actors/remote/helpers.ts';
import { eventually, within } from '../helpers.ts';
import { startWireCluster } from '../wire-cluster.ts';

const doubled: JobModule = (env) => {
  env.setJobName('doubled');
  env
    .fromSequence(1, 10)
    .map((n) => n * 2)
    .sinkTo(() => {});
};

function record(t: ExecutionContext, system: ActorSystem, dispatcher: ActorRef<DispatcherMsg>, query: TraceQuery) {
  const items: ClusterTraceItem[] = [];
  let ended: string | undefined;
  const subscription: Subscription = clusterTrace$(system, dispatcher, query).subscribe({
    next: (item) => items.push(item),
    error: (error: unknown) => (ended = `error: ${String(error)}`),
    complete: () => (ended = 'complete'),
  });
  t.teardown(() => subscription.unsubscribe());
  const events = () => items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
  return { items, events, ended: () => ended, subscription };
}

function startTaskManager(system: ActorSystem, name: string, resourceManagerPath: string): ActorRef<never> {
  return system.spawn(
    taskManager({
      resourceId: resourceId(name),
      slots: 1,
      resourceManager: system.resolve(resourceManagerPath),
      loader: new EmbeddedLoader(),
      network: new NetworkEnvironment(() => true),
      stdout: () => {},
    }),
    name,
  ) as ActorRef<never>;
}

test('clusterTrace$ on a MiniCluster shows SubmitJob with its job id and a bounded summary, and RegisterTaskManager of a TaskManager that joins', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  t.teardown(() => cluster.close());
  const { system } = cluster;
  const dispatcher = system.resolve<DispatcherMsg>(`${system.address}/user/${DISPATCHER_NAME}`);
  const trace = record(t, system, dispatcher, {});
  startTaskManager(system, 'taskmanager-late', `${system.address}/user/${RESOURCE_MANAGER_NAME}`);
  const handle = await cluster.submit(doubled);
  t.is((await within(handle.result(), 'the job')).status, 'FINISHED');
  await eventually(() => trace.events().some((event) => event.type === 'SubmitJob') && trace.events().some((event) => event.type === 'RegisterTaskManager'), 'SubmitJob and RegisterTaskManager in the trace');
  const submit = trace.events().find((event) => event.type === 'SubmitJob');
  t.like(submit, { to: `${system.address}/user/${DISPATCHER_NAME}`, jobId: handle.jobId, direction: 'local', system: 'minicluster' });
  t.like(submit?.summary, { type: 'SubmitJob', jobId: handle.jobId, bundle: `embedded:${handle.jobId}` });
  t.true(JSON.stringify(submit?.summary).length < 4_000, 'the job graph is summarised, not copied');
  t.like(
    trace.events().find((event) => event.type === 'RegisterTaskManager'),
    { to: `${system.address}/user/${RESOURCE_MANAGER_NAME}`, from: `${system.address}/user/taskmanager-late` },
  );
  t.is(trace.ended(), undefined);
});

test('clusterTrace$ filters by type and by job at the traced side', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  t.teardown(() => cluster.close());
  const { system } = cluster;
  const dispatcher = system.resolve<DispatcherMsg>(`${system.address}/user/${DISPATCHER_NAME}`);
  const submits = record(t, system, dispatcher, { type: 'Submit*' });
  const first = await cluster.submit(doubled);
  await within(first.result(), 'the first job');
  const ofFirst = record(t, system, dispatcher, { job: first.jobId, type: 'JobSubmitted,SubmitJob' });
  const second = await cluster.submit(doubled);
  await within(second.result(), 'the second job');
  await eventually(() => submits.events().filter((event) => event.type === 'SubmitJob').length === 2, 'both SubmitJob events');
  t.deepEqual([...new Set(submits.events().map((event) => event.type))].sort(), ['SubmitJob', 'SubmitTask']);
  await new Promise((resolve) => setTimeout(resolve, 100)); // a flush or two: nothing of the second job may come
  t.deepEqual(ofFirst.events(), [], 'subscribed after the first job was submitted; the second job is another job');
});

test('clusterTrace$ from a client brings the JobManager process and each TaskManager, a TaskManager that registers later joins, one that dies ends its part alone', async (t) => {
  const cluster = await startWireCluster(t, 1);
  const trace = record(t, cluster.client.system, cluster.dispatcher, { type: 'SubmitTask,SubmitJob,RegisterTaskManager' });
  await eventually(() => cluster.jm.system.traceHub.active && cluster.tm.system.traceHub.active, 'both systems traced for the client');
  const late = await startSystem(t, 'taskmanager-2', { transport: new WsTransport() });
  startTaskManager(late.system, TASK_MANAGER_NAME, `${cluster.jm.system.address}/user/${RESOURCE_MANAGER_NAME}`);
  await eventually(() => late.system.traceHub.active, 'the late TaskManager traced for the client');
  await eventually(() => trace.events().some((event) => event.type === 'RegisterTaskManager' && event.from === `${late.system.address}/user/${TASK_MANAGER_NAME}`), 'its registration');
  // It dies before any job could be placed on it (its code loader knows no job).
  await late.system.terminate();
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.is(trace.ended(), undefined, 'a lost TaskManager does not end the cluster trace');
  await eventually(async () => (await cluster.overview()).taskManagers === 1, 'the ResourceManager to lose it');
  const { status } = await cluster.run(doubled);
  t.is(status, 'FINISHED');
  await eventually(() => trace.events().some((event) => event.type === 'SubmitTask' && event.direction === 'in'), 'a SubmitTask seen by the TaskManager');
  const seen = (type: string) => [...new Set(trace.events().filter((event) => event.type === type).map((event) => `${event.system} ${event.direction}`))].sort();
  t.deepEqual(seen('SubmitJob'), ['jobmanager in']);
  t.deepEqual(seen('RegisterTaskManager'), ['jobmanager in']);
  t.deepEqual(seen('SubmitTask'), ['jobmanager out', 'taskmanager-1 in']);
  t.is(trace.ended(), undefined);
});

test("a task's steps come as one summary event per task a second, with the job id, while the job runs whole under a full trace", async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  t.teardown(() => cluster.close());
  const { system } = cluster;
  const dispatcher = system.resolve<DispatcherMsg>(`${system.address}/user/${DISPATCHER_NAME}`);
  const trace = record(t, system, dispatcher, {});
  let sum = 0;
  let count = 0;
  const RECORDS = 300_000;
  const keyed: JobModule = (env) => {
    env
      .fromSequence(1, RECORDS)
      .keyBy((n) => n % 4)
      .map((n) => n)
      .sinkTo((n) => {
        sum += n;
        count++;
      });
  };
  const handle = await cluster.submit(keyed, { parallelism: 2 });
  t.is((await within(handle.result(), 'the job', 30_000)).status, 'FINISHED');
  t.is(count, RECORDS);
  t.is(sum, (RECORDS * (RECORDS + 1)) / 2);
  await eventually(() => trace.events().some((event) => event.type === 'Step'), 'the Step summaries', 3_000);
  await new Promise((resolve) => setTimeout(resolve, 1_100)); // the last period's summaries
  const steps = trace.events().filter((event) => event.type === 'Step');
  t.deepEqual(steps.filter((event) => !(event.aggregate !== undefined && event.from === event.to && event.jobId === handle.jobId)).slice(0, 3), [], "no Step listed one by one");
  const total = steps.reduce((sum, event) => sum + (event.aggregate?.count ?? 0), 0);
  t.true(total >= RECORDS / 1000, `${total} steps for ${RECORDS} records`);
  const tasks = new Set(steps.map((event) => event.to)).size;
  t.true(steps.length <= tasks * 12, `${steps.length} summary events for ${tasks} tasks`);
  // A task waiting for input or for room comes back with a Step too (counted above), not with a
  // message of its own per wait: what is piped to a task is its few lifecycle steps.
  const piped = trace.events().filter((event) => event.type === 'PipedResult' || event.type === 'PipedFailure').length;
  t.true(piped <= tasks * 6, `${piped} piped results for ${tasks} tasks`);
});
