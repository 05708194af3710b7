// What the contexts of a broadcast connect refuse: a write to broadcast state from the non-broadcast
// side (processElement, onTimer), a broadcast state not declared in broadcast(...), and an
// applyToKeyedState without a function. Each fails the job with a WeirError naming the operator.
import test, { type ExecutionContext } from 'ava';
import {
  type BroadcastState,
  type Collector,
  type JobModule,
  type KeyedBroadcastContext,
  type KeyedBroadcastProcessFunction,
  type KeyedReadOnlyBroadcastContext,
  MapStateDescriptor,
  type ReadOnlyBroadcastContext,
  ValueStateDescriptor,
} from '../../../api/index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { runModule } from '../harness/run-plan.ts';

const rules = new MapStateDescriptor<string, string>('rules');
const limits = new MapStateDescriptor<string, number>('limits');

/** Runs `module`, which must fail with a WeirError (raised by Weir, it names its operator itself and reaches the task as is). */
async function failure(t: ExecutionContext, module: JobModule): Promise<WeirError> {
  return t.throwsAsync(runModule(module, { parallelism: 2 }), { instanceOf: WeirError });
}

/** A write through the read-only view, as plain JavaScript (or a cast) could try. */
function write(ctx: ReadOnlyBroadcastContext, method: 'put' | 'remove' | 'clear'): void {
  const state = ctx.getBroadcastState(rules) as unknown as BroadcastState<string, string>;
  if (method === 'put') state.put('r', 'changed');
  else if (method === 'remove') state.remove('r');
  else state.clear();
}

const READ_ONLY = 'which is read-only here: only processBroadcastElement() may change broadcast state, so that every subtask keeps the same';

test('processElement of a BroadcastProcessFunction cannot write broadcast state: STATE_READ_ONLY', async (t) => {
  const error = await failure(t, (env) => {
    env
      .fromElements('x')
      .connect(env.fromElements('r').broadcast(rules))
      .process({
        processBroadcastElement: (rule: string, ctx) => ctx.getBroadcastState(rules).put(rule, rule),
        processElement: (_value: string, ctx: ReadOnlyBroadcastContext) => write(ctx, 'put'),
      })
      .name('Rules')
      .uid('rules')
      .sinkTo(() => {});
  });
  t.is(error.code, 'STATE_READ_ONLY');
  t.is(error.message, `operator "Rules" (id "rules"): put() on broadcast state "rules", ${READ_ONLY}`);
});

test('processElement and onTimer of a KeyedBroadcastProcessFunction cannot write broadcast state either', async (t) => {
  for (const [where, method] of [['processElement', 'remove'], ['onTimer', 'clear']] as const) {
    const fn: KeyedBroadcastProcessFunction<string, string, string, string> = {
      processBroadcastElement: (rule, ctx) => ctx.getBroadcastState(rules).put(rule, rule),
      processElement(_value, ctx: KeyedReadOnlyBroadcastContext<string>) {
        if (where === 'processElement') write(ctx, method);
        else ctx.timerService().registerEventTimeTimer(10);
      },
      onTimer: (_timestamp, ctx) => write(ctx, method),
    };
    const error = await failure(t, (env) => {
      env.setRuntimeMode('BATCH');
      env
        .fromElements('x', 'y')
        .keyBy((value) => value)
        .connect(env.fromElements('r').broadcast(rules))
        .process(fn)
        .name('Rules')
        .uid('rules')
        .sinkTo(() => {});
    });
    t.is(error.code, 'STATE_READ_ONLY', where);
    t.is(error.message, `operator "Rules" (id "rules"): ${method}() on broadcast state "rules", ${READ_ONLY}`);
  }
});

test('a broadcast state not given to broadcast(...) fails on either side, naming those that were', async (t) => {
  for (const side of ['processElement', 'processBroadcastElement'] as const) {
    const error = await failure(t, (env) => {
      env
        .fromElements('x')
        .connect(env.fromElements('r').broadcast(rules, new MapStateDescriptor<string, string>('thresholds')))
        .process({
          processBroadcastElement: (_rule: string, ctx) => void (side === 'processBroadcastElement' && ctx.getBroadcastState(limits)),
          processElement: (_value: string, ctx: ReadOnlyBroadcastContext) => void (side === 'processElement' && ctx.getBroadcastState(limits)),
        })
        .name('Rules')
        .uid('rules')
        .sinkTo(() => {});
    });
    t.is(error.code, 'INVALID_ARGUMENT');
    t.is(error.message, 'operator "Rules" (id "rules"): getBroadcastState("limits") names no broadcast state of this operator, which has "rules", "thresholds": pass its MapStateDescriptor to broadcast(...)');
  }
});

test('a keyed state descriptor is no broadcast state, even under a broadcast state\'s name', async (t) => {
  const error = await failure(t, (env) => {
    env
      .fromElements('x')
      .connect(env.fromElements('r').broadcast(rules))
      .process({
        processBroadcastElement: (_rule: string, ctx) => void ctx.getBroadcastState(new ValueStateDescriptor('rules') as never),
        processElement: () => {},
      })
      .name('Rules')
      .uid('rules')
      .sinkTo(() => {});
  });
  t.is(error.message, 'operator "Rules" (id "rules"): getBroadcastState("rules" (a value state descriptor)) names no broadcast state of this operator, which has "rules": pass its MapStateDescriptor to broadcast(...)');
});

test('applyToKeyedState needs a function of (key, state)', async (t) => {
  const error = await failure(t, (env) => {
    env
      .fromElements('x')
      .keyBy((value) => value)
      .connect(env.fromElements('r').broadcast(rules))
      .process({
        processBroadcastElement: (_rule: string, ctx: KeyedBroadcastContext<string>) => ctx.applyToKeyedState(new ValueStateDescriptor<number>('count'), 'report' as never),
        processElement: (_value: string, _ctx: KeyedReadOnlyBroadcastContext<string>, _out: Collector<string>) => {},
      })
      .name('Rules')
      .uid('rules')
      .sinkTo(() => {});
  });
  t.is(error.code, 'INVALID_FUNCTION');
  t.is(error.message, 'operator "Rules" (id "rules"): applyToKeyedState() needs a function of (key, state), got string');
});
