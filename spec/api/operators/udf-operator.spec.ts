// Operator state for non-keyed functions (Flink's CheckpointedFunction): initializeState() runs before
// open() on every subtask and gets the subtask's operator state store; snapshotState() runs when the
// operator's state is snapshotted (checkpoints will call it), and a restored operator's
// initializeState() sees isRestored() and the items of its share.
import test from 'ava';
import {
  type CheckpointedFunction,
  type FunctionInitializationContext,
  type FunctionSnapshotContext,
  type ListState,
  ListStateDescriptor,
  type MapFunction,
  type RuntimeContext,
  StreamExecutionEnvironment,
} from '../../../index.ts';
import { planJob } from '../../../api/internal.ts';
import { MapOperator } from '../../../api/operators/map.ts';
import { DISCARDING_OUTPUT, type Output } from '../../../api/runtime/chain.ts';
import { userFunctionFactory } from '../../../api/runtime/user-function.ts';
import { redistributeOperatorState } from '../../../api/state/operator-state-redistribution.ts';
import { WeirError } from '../../../messages/errors.ts';
import { runModule } from '../harness/run-plan.ts';
import { operatorRuntime } from '../sources/source-fixtures.ts';

/** A map that emits the last three numbers its subtask saw, kept in an operator ListState. */
function lastThree(events: string[]) {
  return class LastThree implements MapFunction<number, string>, CheckpointedFunction {
    private buffer!: ListState<number>;
    private subtask = -1;

    initializeState(context: FunctionInitializationContext): void {
      this.buffer = context.getOperatorStateStore().getListState(new ListStateDescriptor<number>('last three'));
      events.push(`initializeState restored=${context.isRestored()} buffer=${this.buffer.get().length}`);
    }

    snapshotState(): void {}

    open(context: RuntimeContext): void {
      this.subtask = context.subtaskIndex;
      events.push(`open ${this.subtask}`);
    }

    map(value: number): string {
      this.buffer.add(value);
      if (this.buffer.get().length > 3) this.buffer.update(this.buffer.get().slice(1));
      return `${this.subtask}:${this.buffer.get().join(',')}`;
    }
  };
}

test('a map function keeps a ListState buffer it made in initializeState(), which runs before open()', async (t) => {
  const events: string[] = [];
  const out: string[] = [];
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(1);
  env.fromElements(1, 2, 3, 4, 5).map(lastThree(events)).sinkTo((line) => void out.push(line));
  await env.execute();
  t.deepEqual(out, ['0:1', '0:1,2', '0:1,2,3', '0:2,3,4', '0:3,4,5']);
  t.deepEqual(events, ['initializeState restored=false buffer=0', 'open 0']);
});

test('each subtask has its own operator state', async (t) => {
  const events: string[] = [];
  const out: string[] = [];
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(3);
  env.fromSequence(1, 30).map(lastThree(events)).sinkTo((line) => void out.push(line));
  await env.execute();
  t.is(out.length, 30);
  for (const subtask of ['0', '1', '2']) {
    const lines = out.filter((line) => line.startsWith(`${subtask}:`)).map((line) => line.slice(2));
    const received = lines.map((line) => line.split(',').at(-1));
    t.deepEqual(lines, received.map((_, index) => received.slice(Math.max(0, index - 2), index + 1).join(',')), `subtask ${subtask} saw only its own numbers`);
  }
  t.deepEqual(events.sort(), ['initializeState restored=false buffer=0', 'initializeState restored=false buffer=0', 'initializeState restored=false buffer=0', 'open 0', 'open 1', 'open 2']);
});

test('snapshotOperatorState() runs snapshotState() with the checkpoint first; a restored operator starts with its share', async (t) => {
  const calls: string[] = [];
  const pendingState = new ListStateDescriptor<number>('pending');
  const everyone = new ListStateDescriptor<string>('everyone');
  /** Holds numbers in a field and moves them into its state only when snapshotted. */
  class Batcher implements MapFunction<number, number>, CheckpointedFunction {
    private state!: ListState<number>;
    private held: number[] = [];
    initializeState(context: FunctionInitializationContext): void {
      this.state = context.getOperatorStateStore().getListState(pendingState);
      const union = context.getOperatorStateStore().getUnionListState(everyone);
      calls.push(`initialize restored=${context.isRestored()} pending=${this.state.get().join(',')} everyone=${union.get().join(',')}`);
      if (!context.isRestored()) union.add(`subtask ${calls.length}`);
    }
    snapshotState(context: FunctionSnapshotContext): void {
      calls.push(`snapshot ${context.getCheckpointId()} at ${context.getCheckpointTimestamp()}`);
      this.state.addAll(this.held);
      this.held = [];
    }
    map(value: number): number {
      this.held.push(value);
      return value;
    }
  }
  const factory = userFunctionFactory<MapFunction<number, number>>(Batcher, 'map', 'operator "Batcher"');
  const make = (): MapOperator<number, number> => new MapOperator(operatorRuntime('Batcher', 'batcher'), factory, DISCARDING_OUTPUT as Output<number>);

  const operator = make();
  await operator.open();
  for (const value of [1, 2, 3]) operator.collect(value, undefined);
  const snapshot = operator.snapshotOperatorState(7, 1_000);
  t.deepEqual(snapshot, { lists: { everyone: { mode: 'union', items: ['subtask 1'] }, pending: { mode: 'split', items: [1, 2, 3] } }, broadcast: {} });

  // Restored at parallelism 2: the list state is split, the union list state goes to both.
  const restored = redistributeOperatorState([snapshot], 2).map((share) => {
    const next = make();
    next.restoreOperatorState(share);
    return next;
  });
  for (const next of restored) await next.open();
  t.deepEqual(calls, ['initialize restored=false pending= everyone=', 'snapshot 7 at 1000', 'initialize restored=true pending=1,2 everyone=subtask 1', 'initialize restored=true pending=3 everyone=subtask 1']);
});

test('an initializeState() that throws fails the job naming the operator', async (t) => {
  const error = await t.throwsAsync(
    runModule((env) => {
      env
        .fromElements(1)
        .map({
          initializeState: () => {
            throw new Error('no store');
          },
          map: (value: number) => value,
        })
        .name('Stateful')
        .sinkTo(() => {});
    }),
    { instanceOf: WeirError },
  );
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Stateful" (id "map-1") failed in initializeState(): no store');
});

test('an object whose initializeState or snapshotState is not a function is refused at planning', async (t) => {
  const error = await t.throwsAsync(planJob((env) => void env.fromElements(1).map({ map: (value: number) => value, snapshotState: 'yes' } as never), []), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_FUNCTION');
  t.is(error.message, 'operator "Map" (id "map-1") needs a function, an object with a map() method or a class with one; got an object whose snapshotState is not a function');
});
