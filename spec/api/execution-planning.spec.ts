// A job module that runs itself (`await env.execute()`, a collect loop, a subscription) is also
// planned by every TaskManager: while planned, its environment starts nothing, and planning ends where
// the module reaches its execution: the code after it never runs there (it runs in the client only).
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

test.serial('planning a module that ends with execute(name) starts no job, names the graph, and runs nothing after execute()', async (t) => {
  const submissions: string[] = [];
  registerJobExecutorFactory((target) => {
    submissions.push(target.kind);
    return Promise.reject(new Error('no job may start while planning'));
  });
  const steps: string[] = [];
  const job: JobModule = async (env) => {
    env.fromSequence(1, 10).map((n) => n + 1).print();
    steps.push('before execute');
    try {
      await env.execute('named by execute');
      steps.push('after execute');
    } finally {
      steps.push('finally');
    }
  };
  const plan = await planJob(job, []);
  t.is(plan.graph.name, 'named by execute');
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(steps, ['before execute']);
  t.deepEqual(submissions, []);
});

test.serial('while planned, a collect loop ends planning at its first read, and both plans declare the same collect sinks', async (t) => {
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
    seen.push('after the loop', ...(await lastValueFrom(doubled$.pipe(toArray()))));
  };
  const first = await planJob(job, []);
  const second = await planJob(job, []);
  const collectSinks = (graph: typeof first.graph): string[] => graph.vertices.flatMap((vertex) => vertex.operators.filter((operator) => operator.kind === COLLECT_SINK_KIND).map((operator) => operator.id));
  t.is(collectSinks(first.graph).length, 2, 'one for toObservable, one for the open end map(n * 3)');
  t.deepEqual(collectSinks(second.graph), collectSinks(first.graph));
  t.deepEqual(seen, []);
  t.deepEqual(submissions, []);
});

test('while planned, a subscription to toObservable() ends planning and gets nothing', async (t) => {
  const events: string[] = [];
  const job: JobModule = async (env) => {
    const numbers$ = env.fromSequence(1, 3).toObservable();
    await new Promise<void>((resolve) => numbers$.subscribe({ next: (n) => void events.push(`next ${n}`), complete: () => resolve() }));
    events.push('completed');
  };
  const plan = await planJob(job, []);
  t.is(plan.graph.vertices.flatMap((vertex) => vertex.operators).filter((operator) => operator.kind === COLLECT_SINK_KIND).length, 1);
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(events, []);
});

test('the collect sinks of a planned graph have no target: run by `weir run`, they drop their records', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 3).executeAndCollect(), []);
  const sink = plan.graph.vertices.flatMap((vertex) => vertex.operators).find((operator) => operator.kind === COLLECT_SINK_KIND);
  t.like(sink, { name: 'Sink: Collect', config: { target: null } });
});
