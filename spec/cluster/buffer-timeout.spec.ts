// The buffer timeout on the MiniCluster: with 0, the Task flushes its outputs after every step, so
// the records of a source that then goes idle reach the next task at once; with a long timeout they
// wait in the partly filled batch until the timer flushes it.
import test from 'ava';
import { Observable } from 'rxjs';
import type { JobModule } from '../../api/index.ts';
import { MiniCluster } from '../../cluster/minicluster.ts';
import { eventually, within } from './helpers.ts';

/** Emits 1, 2, 3 and then nothing, without completing: the batch holding them is never full. */
function idleAfterThree(bufferTimeoutMs: number, out: number[]): JobModule {
  return (env) => {
    env.setBufferTimeout(bufferTimeoutMs);
    env
      .fromObservable(
        () =>
          new Observable<number>((subscriber) => {
            subscriber.next(1);
            subscriber.next(2);
            subscriber.next(3);
          }),
      )
      .rebalance() // the sink is in another task, behind a network exchange
      .sinkTo((n) => void out.push(n));
  };
}

test('with a buffer timeout of 0 the records of a source that goes idle reach the next task at once', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  t.teardown(() => cluster.close());
  const out: number[] = [];
  const handle = await cluster.submit(idleAfterThree(0, out));
  await eventually(() => out.length === 3, 'the three records to reach the sink', 2_000);
  t.deepEqual(out, [1, 2, 3]);
  await handle.cancel();
  await within(handle.result().catch(() => undefined), 'the job to be cancelled');
});

test('with a long buffer timeout a partly filled batch waits for the timer', async (t) => {
  const cluster = await MiniCluster.start({ log: { level: 'off' } });
  t.teardown(() => cluster.close());
  const out: number[] = [];
  const handle = await cluster.submit(idleAfterThree(60_000, out));
  // Long enough for the source to have run many steps; the flush timer is a minute away.
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.deepEqual(out, []);
  await handle.cancel();
  await within(handle.result().catch(() => undefined), 'the job to be cancelled');
});
