// State TTL through a KeyedProcessFunction: the backend's clock is the task's processing time, so an
// entry written more than its time to live ago is gone (or, with ReturnExpiredIfNotCleanedUp, still
// returned until cleaned up).
import test from 'ava';
import { type JobModule, type KeyedProcessFunction, type RuntimeContext, StateTtlConfig, type ValueState, ValueStateDescriptor } from '../../../api/index.ts';
import { planJob } from '../../../api/internal.ts';
import { ManualProcessingTimeService } from '../../../api/runtime/time/manual-processing-time-service.ts';
import { FakeGate, FakeWriter } from '../harness/fakes.ts';
import { subtaskOf } from '../helpers.ts';

function counter(ttl: StateTtlConfig): JobModule {
  class LastSeen implements KeyedProcessFunction<string, string, string> {
    private seen!: ValueState<number>;
    open(context: RuntimeContext): void {
      const descriptor = new ValueStateDescriptor<number>('seen');
      descriptor.enableTimeToLive(ttl);
      this.seen = context.getState(descriptor);
    }
    processElement(key: string, _ctx: unknown, out: { collect(value: string): void }): void {
      const count = (this.seen.value() ?? 0) + 1;
      this.seen.update(count);
      out.collect(`${key}:${count}`);
    }
  }
  return (env) => void env.fromElements('a').rebalance().keyBy((key) => key).process(LastSeen).rebalance().print();
}

async function run(ttl: StateTtlConfig, steps: readonly (readonly [at: number, key: string])[]): Promise<unknown[]> {
  const plan = await planJob(counter(ttl), []);
  const gate = new FakeGate();
  const writer = new FakeWriter();
  const clock = new ManualProcessingTimeService(0);
  const subtask = subtaskOf(plan, { vertexIndex: 1, inputs: [gate], outputs: [writer], processingTimeService: clock });
  await subtask.open();
  for (const [at, key] of steps) {
    clock.advance(at);
    gate.push(key);
    subtask.step(10);
  }
  await subtask.close();
  return writer.all;
}

test('an entry older than its time to live is gone: the count starts again', async (t) => {
  const ttl = StateTtlConfig.newBuilder(1_000).build();
  t.deepEqual(await run(ttl, [[0, 'a'], [500, 'a'], [1_400, 'a'], [2_500, 'a']]), ['a:1', 'a:2', 'a:3', 'a:1']);
});

test('every key\'s entry has its own time to live', async (t) => {
  const ttl = StateTtlConfig.newBuilder(1_000).build();
  t.deepEqual(await run(ttl, [[0, 'a'], [900, 'b'], [1_800, 'a'], [1_850, 'b']]), ['a:1', 'b:1', 'a:1', 'b:2']);
});
