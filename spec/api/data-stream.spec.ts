import test from 'ava';
import { interval, map, take } from 'rxjs';
import type { MapFunction, RuntimeContext, SinkFunction } from '../../api/index.ts';
import { runModule } from './harness/run-plan.ts';

/** Prefixes each record with the index of the subtask that saw it (a class: one instance per subtask). */
class BySubtask implements MapFunction<unknown, string> {
  private subtask = -1;
  open(context: RuntimeContext): void {
    this.subtask = context.subtaskIndex;
  }
  map(value: unknown): string {
    return `${this.subtask}:${String(value)}`;
  }
}

test('union merges the records of every stream into one, each record once', async (t) => {
  const out: number[] = [];
  await runModule((env) => {
    const low = env.fromSequence(1, 5);
    const high = env.setParallelism(2).fromSequence(100, 104);
    const doubled = low.map((n) => n * 2);
    low.union(high, doubled).sinkTo((n) => void out.push(n));
  });
  t.deepEqual(
    out.sort((a, b) => a - b),
    [1, 2, 2, 3, 4, 4, 5, 6, 8, 10, 100, 101, 102, 103, 104],
  );
});

test('union with a keyed stream keeps the hash partitioning of that input only', async (t) => {
  const perSubtask: string[][] = [[], [], []];
  await runModule(
    (env) => {
      const letters = env.fromElements('a', 'b', 'c', 'a', 'b', 'c');
      letters
        .keyBy((letter) => letter)
        .union(env.fromElements('z'))
        .map(BySubtask)
        .sinkTo((line) => void perSubtask[Number(line[0])].push(line.slice(2)));
    },
    { parallelism: 3 },
  );
  const subtasksOf = (letter: string): number[] => perSubtask.flatMap((letters, index) => (letters.includes(letter) ? [index] : []));
  for (const letter of ['a', 'b', 'c']) t.is(subtasksOf(letter).length, 1, `every "${letter}" on one subtask`);
  t.is(perSubtask.flat().length, 7);
});

test('every partitioning delivers every record, broadcast once per subtask', async (t) => {
  const count = async (partition: 'rebalance' | 'rescale' | 'shuffle' | 'global' | 'broadcast'): Promise<number[]> => {
    const out: number[] = [];
    await runModule((env) => {
      env.setParallelism(2).fromSequence(1, 40)[partition]().sinkTo((n) => void out.push(n)).setParallelism(3);
    });
    return out.sort((a, b) => a - b);
  };
  const all = Array.from({ length: 40 }, (_, index) => index + 1);
  for (const partition of ['rebalance', 'rescale', 'shuffle', 'global'] as const) t.deepEqual(await count(partition), all, partition);
  t.deepEqual(await count('broadcast'), all.flatMap((n) => [n, n, n]));
});

test('global sends everything to the first subtask, partitionCustom where its function says', async (t) => {
  const seen = async (partitioned: 'global' | 'custom'): Promise<number[][]> => {
    const perSubtask: number[][] = [[], [], []];
    class Recorder implements SinkFunction<number> {
      private subtask = -1;
      open(context: RuntimeContext): void {
        this.subtask = context.subtaskIndex;
      }
      invoke(n: number): void {
        perSubtask[this.subtask].push(n);
      }
    }
    await runModule((env) => {
      const numbers = env.fromSequence(1, 9);
      env.setParallelism(3);
      const routed = partitioned === 'global' ? numbers.global() : numbers.partitionCustom((key: number, partitions) => key % partitions, (n) => n);
      routed.sinkTo(Recorder);
    });
    return perSubtask.map((values) => values.sort((a, b) => a - b));
  };
  t.deepEqual(await seen('global'), [[1, 2, 3, 4, 5, 6, 7, 8, 9], [], []]);
  t.deepEqual(await seen('custom'), [
    [3, 6, 9],
    [1, 4, 7],
    [2, 5, 8],
  ]);
});

test('an observable source feeding a keyed sum in STREAMING mode gives every key its running count', async (t) => {
  const out: [string, number][] = [];
  await runModule(
    (env) => {
      env
        .fromObservable(() => interval(2).pipe(take(6), map((tick) => (tick % 2 === 0 ? 'even' : 'odd'))))
        .map((parity): [string, number] => [parity, 1])
        .keyBy((pair) => pair[0])
        .sum(1)
        .sinkTo((pair) => void out.push(pair));
    },
    { parallelism: 2, batchSize: 100 },
  );
  t.deepEqual(out.filter(([parity]) => parity === 'even').map(([, count]) => count), [1, 2, 3]);
  t.deepEqual(out.filter(([parity]) => parity === 'odd').map(([, count]) => count), [1, 2, 3]);
});
