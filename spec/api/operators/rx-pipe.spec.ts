import test from 'ava';
import { delay, filter, map, reduce, scan, take, toArray } from 'rxjs';
import type { DataStream } from '../../../api/index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { runModule } from '../harness/run-plan.ts';

test('pipe runs RxJS map and filter on the records inside the task, in order, with the types flowing', async (t) => {
  const out: string[] = [];
  await runModule((env) => {
    const labelled: DataStream<string> = env.fromSequence(1, 10).pipe(
      filter((n: number) => n % 2 === 0),
      map((n) => `even ${n}`),
    );
    labelled.sinkTo((line) => void out.push(line));
  });
  t.deepEqual(out, ['even 2', 'even 4', 'even 6', 'even 8', 'even 10']);
});

test('pipe operators keep their state per subtask: scan runs and take stops on each subtask', async (t) => {
  const sums: number[] = [];
  const taken: number[] = [];
  await runModule((env) => {
    const numbers = env.fromSequence(1, 5);
    numbers.pipe(scan((sum: number, n: number) => sum + n, 0)).sinkTo((sum) => void sums.push(sum));
    numbers.pipe(take(2)).sinkTo((n) => void taken.push(n));
  });
  t.deepEqual(sums, [1, 3, 6, 10, 15]);
  t.deepEqual(taken, [1, 2], 'records after take completed are dropped');
  const perSubtask: number[] = [];
  await runModule(
    (env) => {
      env.fromSequence(1, 40).pipe(take(3)).sinkTo((n) => void perSubtask.push(n));
    },
    { parallelism: 2 },
  );
  t.is(perSubtask.length, 6, 'take(3) on each of 2 subtasks');
});

test('at end of input the pipeline completes, so reduce and toArray emit then', async (t) => {
  const totals: number[] = [];
  const arrays: number[][] = [];
  await runModule((env) => {
    const numbers = env.fromSequence(1, 4);
    numbers.pipe(reduce((sum: number, n: number) => sum + n, 0)).sinkTo((sum) => void totals.push(sum));
    numbers.pipe(toArray()).sinkTo((array) => void arrays.push(array));
  });
  t.deepEqual(totals, [10]);
  t.deepEqual(arrays, [[1, 2, 3, 4]]);
});

test('an error inside an RxJS operator fails the job naming the pipe operator', async (t) => {
  const error = await t.throwsAsync(
    runModule((env) => {
      env
        .fromSequence(1, 5)
        .pipe(
          map((n: number) => {
            if (n === 3) throw new Error('three');
            return n;
          }),
        )
        .name('Checked')
        .print();
    }),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Checked" (id "rx-pipe-1") failed on a record: three');
});

test('an error downstream of a pipe fails the job naming that operator instead of vanishing into RxJS', async (t) => {
  const error = await t.throwsAsync(
    runModule((env) => {
      env
        .fromSequence(1, 5)
        .pipe(map((n: number) => n * 2))
        .sinkTo(() => {
          throw new Error('sink down');
        });
    }),
    { instanceOf: WeirError },
  );
  t.is(error.message, 'operator "Sink: Function" (id "sink-function-2") failed on a record: sink down');
});

test('an asynchronous operator fails the job with INVALID_FUNCTION: pipe runs synchronous operators only', async (t) => {
  const error = await t.throwsAsync(
    runModule((env) => {
      env.fromSequence(1, 3).pipe(delay(1)).print();
    }),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'INVALID_FUNCTION');
  t.regex(error.message, /^operator "Pipe" \(id "rx-pipe-1"\): pipe\(\) runs synchronous RxJS operators only, but /);
});

test('pipe rejects what is not an operator function at declaration', async (t) => {
  await runModule((env) => {
    const numbers = env.fromSequence(1, 2);
    const error = t.throws(() => numbers.pipe(42 as never), { instanceOf: WeirError });
    t.is(error.message, 'operator "Pipe" (id "rx-pipe-1"): pipe() takes RxJS operators; argument 1 is a number');
    numbers.print();
  });
});
