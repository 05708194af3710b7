// A job module that runs itself (`await env.execute()`, a collect loop, a subscription) is also
// planned by `weir run` and by every TaskManager: while planned, its environment starts nothing.
// This file imports api/ only, as a bundled job module does: no executor is wired in until a spec
// registers its spy (serial specs, in order).
import test from 'ava';
import { lastValueFrom, toArray } from 'rxjs';
import { type JobModule, StreamExecutionEnvironment } from '../../api/index.ts';
import { COLLECT_SINK_KIND, planJob, registerJobExecutorFactory } from '../../api/internal.ts';
import { WeirError } from '../../messages/errors.ts';

test.serial('execute() without the package entry rejects with NO_EXECUTOR, saying what to import', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromElements(1, 2, 3).print();
  const error = await t.throwsAsync(env.execute('orphan'), { instanceOf: WeirError });
  t.is(error?.code, 'NO_EXECUTOR');
  t.regex(error?.message ?? '', /embedded mini cluster: no executor is registered\. Import StreamExecutionEnvironment from the package entry/);
});

test.serial('planning a module that ends with execute(name) starts no job and names the graph', async (t) => {
  const submissions: string[] = [];
  registerJobExecutorFactory((target) => {
    submissions.push(target.kind);
    return Promise.reject(new Error('no job may start while planning'));
  });
  let afterExecute: unknown;
  const job: JobModule = async (env) => {
    env.fromSequence(1, 10).map((n) => n + 1).print();
    afterExecute = await env.execute('named by execute');
  };
  const plan = await planJob(job, []);
  t.is(plan.graph.name, 'named by execute');
  t.deepEqual(afterExecute, { jobId: null, jobName: 'named by execute', netRuntimeMs: 0, planned: true });
  t.deepEqual(submissions, []);
});

test.serial('while planned, collect loops and subscriptions are empty, and both plans declare the same collect sinks', async (t) => {
  const submissions: string[] = [];
  registerJobExecutorFactory((target) => {
    submissions.push(target.kind);
    return Promise.reject(new Error('no job may start while planning'));
  });
  const seen: unknown[] = [];
  const job: JobModule = async (env) => {
    const numbers = env.fromSequence(1, 10);
    const doubled$ = numbers.map((n) => n * 2).toObservable();
    numbers.map((n) => n * 3);
    for await (const value of env.executeAndCollect()) seen.push(value);
    seen.push(...(await lastValueFrom(doubled$.pipe(toArray()))));
  };
  const first = await planJob(job, []);
  const second = await planJob(job, []);
  const collectSinks = (graph: typeof first.graph): string[] => graph.vertices.flatMap((vertex) => vertex.operators.filter((operator) => operator.kind === COLLECT_SINK_KIND).map((operator) => operator.id));
  t.is(collectSinks(first.graph).length, 2, 'one for toObservable, one for the open end map(n * 3)');
  t.deepEqual(collectSinks(second.graph), collectSinks(first.graph));
  t.deepEqual(seen, []);
  t.deepEqual(submissions, []);
});

test('the collect sinks of a planned graph have no target: run by `weir run`, they drop their records', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 3).executeAndCollect(), []);
  const sink = plan.graph.vertices.flatMap((vertex) => vertex.operators).find((operator) => operator.kind === COLLECT_SINK_KIND);
  t.like(sink, { name: 'Sink: Collect', config: { target: null } });
});
