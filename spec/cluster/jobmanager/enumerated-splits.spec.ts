// fromSource on the mini cluster with a short split poll: readers whose enumerator answers late are
// told to ask again (a long poll) and keep asking until the answer comes; nothing is lost meanwhile.
import test from 'ava';
import type { JobModule, Source } from '../../../api/index.ts';
import { MiniCluster } from '../../../cluster/minicluster.ts';
import { within } from '../helpers.ts';

test('readers keep polling an enumerator that answers after many poll periods, and get every split once', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, taskManagers: 2, slotsPerTaskManager: 1, splitPollMs: 10 });
  t.teardown(() => cluster.close());
  const questions: number[] = [];
  const slowSource: Source<number, number[]> = {
    boundedness: 'unbounded',
    createEnumerator: () => {
      const batches = [[1, 2, 3], [4, 5], [6]];
      return {
        nextSplit: async (subtaskIndex) => {
          questions.push(subtaskIndex);
          // Ten poll periods or more before each answer.
          await new Promise((resolve) => setTimeout(resolve, 120));
          return batches.shift() ?? null;
        },
      };
    },
    createReader: () => ({ read: (batch) => batch }),
  };
  const out: number[] = [];
  const job: JobModule = (env) => {
    env.fromSource(slowSource, 'Source: Slow').sinkTo((n) => void out.push(n));
  };
  const handle = await cluster.submit(job, { parallelism: 2 });
  const result = await within(handle.result(), 'the job to finish', 10_000);
  t.is(result.status, 'FINISHED');
  t.deepEqual(
    out.sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6],
  );
  // Each reader's question reached the enumerator once per answer (3 splits, then a null for each
  // reader), however often the readers polled.
  t.is(questions.length, 5);
});
