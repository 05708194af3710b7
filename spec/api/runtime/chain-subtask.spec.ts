import test from 'ava';
import { type Collector, type FlatMapFunction, type MapFunction, type RuntimeContext, type SinkFunction } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import { WeirError } from '../../../messages/errors.ts';
import { fakeContext, runJob, runSubtask, runVertex, stepToEnd, subtaskOf, within } from '../helpers.ts';

test('map, filter and flatMap run as one chain into a sink, in order', async (t) => {
  const out: string[] = [];
  await runJob((env) => {
    env
      .fromSequence(1, 10)
      .map((n) => n * 10)
      .filter((n) => n % 20 === 0)
      .flatMap((n) => [`${n}a`, `${n}b`])
      .sinkTo({ invoke: (value) => void out.push(value) });
  });
  t.deepEqual(out, ['20a', '20b', '40a', '40b', '60a', '60b', '80a', '80b', '100a', '100b']);
});

test('flatMap emits through the collector, through a returned iterable, or both', async (t) => {
  const out: string[] = [];
  await runJob((env) => {
    env
      .fromElements('a b', '', 'c')
      .flatMap<string>((line, collector) => {
        for (const word of line.split(' ')) if (word) collector.collect(word);
      })
      .flatMap(function* (word: string) {
        yield word;
        yield word.toUpperCase();
      })
      .flatMap((word, collector: Collector<string>) => {
        collector.collect(`<${word}`);
        return [`${word}>`];
      })
      .sinkTo((value) => void out.push(value));
  });
  t.deepEqual(out, ['<a', 'a>', '<A', 'A>', '<b', 'b>', '<B', 'B>', '<c', 'c>', '<C', 'C>']);
});

test('a filter with a type guard narrows the stream type', async (t) => {
  const out: string[] = [];
  await runJob((env) => {
    env
      .fromElements<string | number>(1, 'one', 2, 'two')
      .filter((value): value is string => typeof value === 'string')
      .map((text) => text.length)
      .sinkTo((length) => void out.push(`${length}`));
  });
  t.deepEqual(out, ['3', '3']);
});

test('a stream consumed by two operators sends every record to both', async (t) => {
  const evens: number[] = [];
  const all: number[] = [];
  await runJob((env) => {
    const numbers = env.fromSequence(1, 6);
    numbers.filter((n) => n % 2 === 0).sinkTo((n) => void evens.push(n));
    numbers.sinkTo((n) => void all.push(n));
  });
  t.deepEqual(evens, [2, 4, 6]);
  t.deepEqual(all, [1, 2, 3, 4, 5, 6]);
});

test('step moves at most maxRecords records out of the source', async (t) => {
  const out: number[] = [];
  const plan = await planJob((env) => void env.fromSequence(1, 100).flatMap((n: number) => [n, n]).sinkTo((n) => void out.push(n)), []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  const first = subtask.step(7);
  if (first.kind === 'wait') await within(first.until);
  t.deepEqual(subtask.step(7), { kind: 'more' });
  t.is(out.length, 14, '7 source records, each doubled by the flatMap');
  await stepToEnd(subtask, 7);
  await subtask.close();
  t.is(out.length, 200);
});

test('rich functions are opened with the subtask info before the first record and closed after the last', async (t) => {
  const events: string[] = [];
  class Tag implements MapFunction<number, string> {
    private prefix = '';
    open(context: RuntimeContext): void {
      events.push(`open map ${context.subtaskIndex}/${context.parallelism} attempt ${context.attemptNumber} of ${context.jobName}`);
      this.prefix = `s${context.subtaskIndex}:`;
    }
    map(value: number): string {
      return this.prefix + value;
    }
    close(): void {
      events.push('close map');
    }
  }
  const sink: SinkFunction<string> = {
    open: async (context) => void events.push(`open sink ${context.subtaskIndex} max ${context.maxParallelism}`),
    invoke: (value) => void events.push(value),
    close: () => void events.push('close sink'),
  };
  const plan = await planJob((env) => void env.setParallelism(2).fromSequence(1, 2).map(Tag).sinkTo(sink), []);
  const subtask = subtaskOf(plan, { subtaskIndex: 1, parallelism: 2, attemptNumber: 3 });
  await runSubtask(subtask);
  t.deepEqual(events, ['open sink 1 max 128', 'open map 1/2 attempt 3 of spec job', 's1:1', 's1:2', 'close map', 'close sink']);
});

test('a class is instantiated once per subtask, so subtasks never share its fields', async (t) => {
  const instances = new Set<Counter>();
  class Counter implements FlatMapFunction<number, number> {
    private count = 0;
    constructor() {
      instances.add(this);
    }
    flatMap(_value: number, out: Collector<number>): void {
      out.collect(++this.count);
    }
  }
  const plan = await planJob((env) => void env.setParallelism(2).fromSequence(1, 40).flatMap(Counter).print(), []);
  const { stdout } = await runVertex(plan, plan.graph.vertices[0], 3);
  t.is(instances.size, 2);
  const counts = stdout.map((lines) => lines.length);
  t.is(counts[0] + counts[1], 40);
  t.true(counts[0] > 0 && counts[1] > 0, `both subtasks read records: ${counts.join(', ')}`);
  stdout.forEach((lines, subtaskIndex) =>
    t.deepEqual(
      lines,
      Array.from({ length: counts[subtaskIndex] }, (_, index) => `${subtaskIndex + 1}> ${index + 1}`),
    ),
  );
});

test('a throwing user function fails the step with an error naming the operator, and close() still closes it', async (t) => {
  const closed: string[] = [];
  const plan = await planJob((env) => {
    env
      .fromSequence(1, 10)
      .map({
        map: (n: number) => {
          if (n === 4) throw new TypeError('four is not allowed');
          return n;
        },
        close: () => void closed.push('map'),
      })
      .name('Picky')
      .uid('picky')
      .sinkTo({ invoke: () => {}, close: () => void closed.push('sink') });
  }, []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  const error = await t.throwsAsync(stepToEnd(subtask), { instanceOf: WeirError });
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Picky" (id "picky") failed on a record: four is not allowed');
  t.true(error.cause instanceof TypeError);
  t.is(t.throws(() => subtask.step(10)), error);
  subtask.cancel();
  await subtask.close();
  t.deepEqual(closed, ['map', 'sink']);
});

test('an error is blamed on the operator that threw, not on the one that called it', async (t) => {
  const failing = async (module: Parameters<typeof planJob>[0]): Promise<string> => {
    const subtask = subtaskOf(await planJob(module, []));
    await subtask.open();
    const error = await t.throwsAsync(stepToEnd(subtask), { instanceOf: WeirError });
    await subtask.close();
    return error.message;
  };
  const flatMapThrowsAfterEmitting = await failing((env) => {
    env
      .fromElements(1)
      .flatMap((n: number, out: Collector<number>) => {
        out.collect(n);
        throw new Error('after emitting');
      })
      .map((n) => n)
      .print();
  });
  t.is(flatMapThrowsAfterEmitting, 'operator "Flat Map" (id "flat-map-1") failed on a record: after emitting');
  const sinkThrows = await failing((env) => {
    env
      .fromElements(1)
      .map((n) => n)
      .sinkTo(() => {
        throw new Error('disk full');
      });
  });
  t.is(sinkThrows, 'operator "Sink: Function" (id "sink-function-2") failed on a record: disk full');
  const generatorThrows = await failing((env) => {
    env
      .fromElements(1)
      .flatMap(function* (n: number) {
        yield n;
        throw new Error('in the generator');
      })
      .print();
  });
  t.is(generatorThrows, 'operator "Flat Map" (id "flat-map-1") failed on a record: in the generator');
});

test('a rich function whose open() throws fails open() naming the operator; close() closes what was opened', async (t) => {
  const closed: string[] = [];
  const plan = await planJob((env) => {
    env
      .fromSequence(1, 2)
      .map({ map: (n: number) => n, open: () => Promise.reject(new Error('no connection')), close: () => void closed.push('map') })
      .sinkTo({ invoke: () => {}, close: () => void closed.push('sink') });
  }, []);
  const subtask = subtaskOf(plan);
  const error = await t.throwsAsync(subtask.open(), { instanceOf: WeirError });
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Map" (id "map-1") failed in open(): no connection');
  await subtask.close();
  t.deepEqual(closed, ['map', 'sink']);
});

test('a user class whose constructor throws fails createSubtask naming the operator', async (t) => {
  class Broken {
    constructor() {
      throw new Error('no config');
    }
    map(value: number): number {
      return value;
    }
  }
  const plan = await planJob((env) => void env.fromSequence(1, 2).map(Broken).print(), []);
  const error = t.throws(() => subtaskOf(plan), { instanceOf: WeirError });
  t.is(error.message, 'operator "Map" (id "map-1") failed in its constructor: no config');
});

test('step before open and open twice fail with ILLEGAL_SUBTASK_STATE', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 2).print(), []);
  const subtask = subtaskOf(plan);
  const early = t.throws(() => subtask.step(1), { instanceOf: WeirError });
  t.is(early.code, 'ILLEGAL_SUBTASK_STATE');
  t.is(early.message, 'Source: Sequence -> Sink: Print (1/1): step() needs a running subtask, but it is created');
  await subtask.open();
  const twice = await t.throwsAsync(subtask.open(), { instanceOf: WeirError });
  t.is(twice.message, 'Source: Sequence -> Sink: Print (1/1): open() needs a created subtask, but it is running');
  await subtask.close();
});

test('after cancel() step reports finished and close() still closes every operator', async (t) => {
  const closed: string[] = [];
  const plan = await planJob((env) => void env.fromSequence(1, 1000).sinkTo({ invoke: () => {}, close: () => void closed.push('sink') }), []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  subtask.cancel();
  subtask.cancel();
  t.deepEqual(subtask.step(10), { kind: 'finished' });
  await subtask.close();
  await subtask.close();
  t.deepEqual(closed, ['sink']);
});

test('createSubtask refuses a vertex the module did not plan, or planned with other operators', async (t) => {
  const plan = await planJob((env) => void env.fromSequence(1, 2).print(), []);
  const vertex = plan.graph.vertices[0];
  const unknown = t.throws(() => plan.createSubtask({ ...vertex, id: 'other' }, fakeContext()), { instanceOf: WeirError });
  t.is(unknown.code, 'PLAN_MISMATCH');
  t.is(unknown.message, 'vertex "other" (Source: Sequence -> Sink: Print) is not in this plan of the job (it has "source-sequence-0"): the job module declared a different pipeline');
  const changed = t.throws(() => plan.createSubtask({ ...vertex, operators: vertex.operators.slice(0, 1) }, fakeContext()), { instanceOf: WeirError });
  t.is(changed.message, 'vertex "source-sequence-0" was submitted with operators [source-sequence-0:source-sequence] but the job module planned [source-sequence-0:source-sequence, sink-print-1:sink-print] here');
});
