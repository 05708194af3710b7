// Restarts on the embedded mini cluster: a failed task's job runs again as new attempts when its
// restart strategy allows, and fails with the strategy's reason when it does not.
import test, { type ExecutionContext } from 'ava';
import { Observable, lastValueFrom, toArray } from 'rxjs';
import { type JobModule, RestartStrategies } from '../../api/index.ts';
import { MiniCluster, type MiniClusterOptions } from '../../cluster/minicluster.ts';
import type { JobStatusChanged } from '../../messages/job-status.ts';
import { within } from './helpers.ts';

async function startMiniCluster(t: ExecutionContext, options: MiniClusterOptions = {}): Promise<MiniCluster> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, ...options });
  t.teardown(() => cluster.close());
  return cluster;
}

function statusesOf(status$: Observable<JobStatusChanged>): Promise<string[]> {
  return within(lastValueFrom(status$.pipe(toArray())).then((changes) => changes.map((change) => change.status)), 'the end of the status stream', 30_000);
}

/** Distinct statuses in order (a status published twice in a row counts once). */
const transitions = (statuses: readonly string[]): string[] => statuses.filter((status, index) => status !== statuses[index - 1]);

test('a job whose task fails runs again as new attempts when its restart strategy allows, and finishes', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 2, slotsPerTaskManager: 2 });
  let attempts = 0;
  let failures = 0;
  const out: number[] = [];
  const failingOnce: JobModule = (env) => {
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(2, 10));
    env
      .fromSequence(1, 200)
      .rebalance()
      .map({
        open() {
          attempts++;
        },
        map(n: number) {
          if (n === 150 && attempts <= 2) {
            failures++;
            throw new Error('boom on 150');
          }
          return n;
        },
      })
      .sinkTo((n) => void out.push(n));
  };
  const handle = await cluster.submit(failingOnce, { parallelism: 2 });
  const statuses = statusesOf(handle.status$);
  t.is((await within(handle.result(), 'the job to finish', 30_000)).status, 'FINISHED');
  t.deepEqual(transitions(await statuses), ['INITIALIZING', 'CREATED', 'RUNNING', 'RESTARTING', 'RUNNING', 'FINISHED']);
  t.is(failures, 1, 'one failure: both subtasks of the first attempt opened, the second attempt runs through');
  // No checkpoint: the second attempt read the sequence from its start again.
  t.deepEqual([...new Set(out)].sort((a, b) => a - b), Array.from({ length: 200 }, (_, index) => index + 1));
});

test('when the restart strategy allows no more restarts, the job fails naming the cause and the strategy', async (t) => {
  const cluster = await startMiniCluster(t, { taskManagers: 1, slotsPerTaskManager: 2 });
  const alwaysFailing: JobModule = (env) => {
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(1, 10));
    env
      .fromSequence(1, 10)
      .map((n: number): number => {
        throw new Error(`bad record ${n}`);
      })
      .sinkTo(() => {});
  };
  const handle = await cluster.submit(alwaysFailing, { parallelism: 1 });
  const statuses = statusesOf(handle.status$);
  const error = await within(
    handle.result().then(
      () => undefined,
      (failure: unknown) => failure as Error,
    ),
    'the job to fail',
    30_000,
  );
  t.regex(String((error?.cause as Error | undefined)?.message ?? error?.message), /bad record 1 \(no restart: fixed-delay \(1 attempt, 10 ms\): exhausted after 1 restart\)/);
  t.deepEqual(transitions(await statuses), ['INITIALIZING', 'CREATED', 'RUNNING', 'RESTARTING', 'RUNNING', 'FAILING', 'FAILED']);
});
