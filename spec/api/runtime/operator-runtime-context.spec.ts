// Each operator gets its own RuntimeContext: its name, its subtask, and keyed state only where the
// operator is keyed. Object-form functions keep `this` fields per subtask.
import test from 'ava';
import { type JobModule, type RuntimeContext, StreamExecutionEnvironment, ValueStateDescriptor, WeirError } from '../../../index.ts';

test('each operator of a chain gets its own context, named after it', async (t) => {
  const seen: string[] = [];
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  const record = (label: string) => ({
    open(context: RuntimeContext) {
      seen.push(`${label}: ${context.operatorName} ${context.subtaskIndex + 1}/${context.parallelism}`);
    },
    map: (value: number) => value,
  });
  env.fromElements(1).map(record('first')).name('First').map(record('second')).name('Second').sinkTo(() => {});
  await env.execute();
  t.deepEqual(seen.sort(), ['first: First 1/1', 'second: Second 1/1']);
});

test('keyed state outside a keyed stream fails with STATE_NOT_KEYED naming the operator and the state', async (t) => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromElements(1).map({
    open(context: RuntimeContext) {
      context.getState(new ValueStateDescriptor<number>('count'));
    },
    map: (value: number) => value,
  }).name('Counter').sinkTo(() => {});
  const error = await t.throwsAsync(env.execute(), { instanceOf: WeirError });
  t.regex(error?.message ?? '', /operator "Counter" \(id "map-1"\): getState\("count"\) needs a keyed stream/);
});

test('an object-form function keeps what open() sets on `this` per subtask', async (t) => {
  const offsets: number[] = [];
  const job: JobModule = (env) => {
    env.setParallelism(3);
    const offsetBySubtask = {
      offset: -1,
      open(context: RuntimeContext) {
        this.offset = context.subtaskIndex * 100;
      },
      map(value: number) {
        return this.offset + value;
      },
    };
    env
      .fromSequence(1, 30)
      .map(offsetBySubtask)
      .sinkTo((value) => void offsets.push(Math.floor(value / 100)));
  };
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  await job(env, []);
  await env.execute();
  t.deepEqual([...new Set(offsets)].sort(), [0, 1, 2]);
});
