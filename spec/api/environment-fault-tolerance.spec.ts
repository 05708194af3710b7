// Checkpointing and the restart strategy travel in the JobGraph only when the job set them, both
// when a job module is planned and when a program runs what its environment declared (the embedded
// executor plans that environment's pipeline in another environment, which must take them along).
// A spy executor stands in for the cluster: it plans what it is given and records the graph.
import test from 'ava';
import { RestartStrategies, StreamExecutionEnvironment } from '../../api/index.ts';
import { planJob, registerJobExecutorFactory } from '../../api/internal.ts';
import type { JobGraph } from '../../messages/job-graph.ts';

test('a job that sets neither has no checkpointing and no restart strategy in its graph', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 3).print(), []);
  t.false('checkpointing' in plan.graph);
  t.false('restartStrategy' in plan.graph);
});

test('a planned job module’s checkpointing and restart strategy are in its graph as it set them', async (t) => {
  const plan = await planJob((env) => {
    env.enableCheckpointing(1_000, 'AT_LEAST_ONCE').setRestartStrategy(RestartStrategies.fixedDelayRestart(2, 50));
    env.getCheckpointConfig().setMaxConcurrentCheckpoints(2).setCheckpointStorage('/tmp/weir-checkpoints');
    env.fromSequence(1, 3).print();
  }, []);
  t.deepEqual(plan.graph.checkpointing, { intervalMs: 1_000, mode: 'AT_LEAST_ONCE', maxConcurrent: 2, directory: '/tmp/weir-checkpoints' });
  t.deepEqual(plan.graph.restartStrategy, { type: 'fixed-delay', attempts: 2, delayMs: 50 });
});

test.serial('a program run on the embedded executor submits its environment’s checkpointing and restart strategy', async (t) => {
  const graphs: JobGraph[] = [];
  registerJobExecutorFactory(() =>
    Promise.resolve({
      submit: async (job) => {
        graphs.push((await planJob(job.module, job.args)).graph);
        throw new Error('the spy runs nothing');
      },
      openCollect: () => Promise.reject(new Error('the spy collects nothing')),
      close: () => Promise.resolve(),
    }),
  );
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.enableCheckpointing(250).setRestartStrategy(RestartStrategies.noRestart());
  env.getCheckpointConfig().setCheckpointTimeout(5_000);
  env.fromSequence(1, 3).print();
  await t.throwsAsync(env.execute('embedded'), { message: 'the spy runs nothing' });
  t.is(graphs.length, 1);
  t.deepEqual(graphs[0].checkpointing, { intervalMs: 250, timeoutMs: 5_000 });
  t.deepEqual(graphs[0].restartStrategy, { type: 'none' });
});
