// The steps of a window join or coGroup: what they plan (Flink's shape: a tagger chained to each
// input, one window operator keyed by both key selectors), and the argument errors each step
// raises where it is called, naming the operation and the step.
import test from 'ava';
import { planJob } from '../../../api/internal.ts';
import {
  CountTrigger,
  type DataStream,
  DeltaTrigger,
  EventTimeSessionWindows,
  StreamExecutionEnvironment,
  TimeEvictor,
  TumblingEventTimeWindows,
  WeirError,
} from '../../../index.ts';

interface Order {
  readonly customer: number;
}
interface Payment {
  readonly payer: number;
}

function inputs(): { orders: DataStream<Order>; payments: DataStream<Payment> } {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  return { orders: env.fromElements<Order>({ customer: 1 }), payments: env.fromElements<Payment>({ payer: 1 }) };
}

test('a join plans as Flink\'s: a tagger chained to each input, both feeding one keyed window operator that gets trigger, evictor and lateness', async (t) => {
  const plan = await planJob(
    (env) => {
      const orders = env.fromElements<Order>({ customer: 1 }).name('Orders');
      const payments = env.fromElements<Payment>({ payer: 1 }).name('Payments');
      orders
        .join(payments)
        .where((order) => order.customer)
        .equalTo((payment) => payment.payer)
        .window(TumblingEventTimeWindows.of(1_000))
        .trigger(CountTrigger.of(2))
        .evictor(TimeEvictor.of(10))
        .allowedLateness(2_000)
        .apply((order, payment) => order.customer + payment.payer)
        .print();
    },
    [],
    { parallelism: 2 },
  );
  t.deepEqual(
    plan.graph.vertices.map((vertex) => `${vertex.name} (${vertex.parallelism}) <- ${vertex.inputs.map((edge) => `${edge.sourceOperatorId} ${edge.partitioning}`).join(', ')}`),
    ['Orders -> Tag Input 1 (1) <- ', 'Payments -> Tag Input 2 (1) <- ', 'Window Join -> Sink: Print (2) <- map-2 hash, map-3 hash'],
  );
  t.deepEqual(plan.graph.vertices[2].operators[0].config, { assigner: 'TumblingEventTimeWindows(1000)', trigger: 'CountTrigger(2)', allowedLateness: 2_000, evictor: 'TimeEvictor(10)' });
});

test('join() and coGroup() need a DataStream', (t) => {
  const { orders } = inputs();
  const joinError = t.throws(() => orders.join(undefined as never), { instanceOf: WeirError });
  t.is(joinError?.code, 'INVALID_ARGUMENT');
  t.is(joinError?.message, 'join() needs the DataStream to join with, got undefined');
  const coGroupError = t.throws(() => orders.coGroup({} as never), { instanceOf: WeirError });
  t.is(coGroupError?.message, 'coGroup() needs the DataStream to coGroup with, got an object');
});

test('where() and equalTo() need key selector functions: a missing or non-function one fails naming the step', (t) => {
  const { orders, payments } = inputs();
  const cases: [() => unknown, string][] = [
    [() => orders.join(payments).where(undefined as never), 'join().where() needs a key selector function, got undefined'],
    [() => orders.join(payments).where('customer' as never), 'join().where() needs a key selector function, got the string "customer"'],
    [() => orders.coGroup(payments).where((order) => order.customer).equalTo(undefined as never), 'coGroup().equalTo() needs a key selector function, got undefined'],
    [() => orders.join(payments).where((order) => order.customer).equalTo({ getKey: () => 1 } as never), 'join().equalTo() needs a key selector function, got an object'],
  ];
  for (const [step, message] of cases) {
    const error = t.throws(step, { instanceOf: WeirError });
    t.is(error?.code, 'INVALID_FUNCTION');
    t.is(error?.message, message);
  }
});

test('window() needs a WindowAssigner; trigger(), evictor() and allowedLateness() check theirs', (t) => {
  const { orders, payments } = inputs();
  const keyed = () =>
    orders
      .coGroup(payments)
      .where((order) => order.customer)
      .equalTo((payment) => payment.payer);
  const missing = t.throws(() => keyed().window(undefined as never), { instanceOf: WeirError });
  t.is(missing?.code, 'INVALID_ARGUMENT');
  t.is(missing?.message, 'coGroup().window() needs a WindowAssigner (TumblingEventTimeWindows.of(...), EventTimeSessionWindows.withGap(...), ...), got undefined');
  const windowed = keyed().window(TumblingEventTimeWindows.of(1_000));
  const trigger = t.throws(() => windowed.trigger({} as never), { instanceOf: WeirError });
  t.is(trigger?.code, 'INVALID_ARGUMENT');
  t.is(trigger?.message, 'coGroup().trigger() needs a Trigger, got an object');
  const evictor = t.throws(() => windowed.evictor(null as never), { instanceOf: WeirError });
  t.is(evictor?.code, 'INVALID_ARGUMENT');
  t.is(evictor?.message, 'coGroup().evictor() needs an Evictor, got null');
  const lateness = t.throws(() => windowed.allowedLateness(-1), { instanceOf: WeirError });
  t.is(lateness?.code, 'INVALID_ARGUMENT');
  t.is(lateness?.message, 'allowedLateness needs a whole number of ms >= 0; got -1');
  const sessions = keyed().window(EventTimeSessionWindows.withGap(1_000));
  const cannotMerge = t.throws(() => sessions.trigger(DeltaTrigger.of(1, () => 0)), { instanceOf: WeirError });
  t.is(cannotMerge?.code, 'INVALID_PIPELINE');
  t.regex(cannotMerge?.message ?? '', /merges windows, and trigger DeltaTrigger\S* cannot merge/);
});

test('apply() needs a join or coGroup function, checked where it is called and naming the window operator', (t) => {
  const { orders, payments } = inputs();
  const join = t.throws(
    () =>
      orders
        .join(payments)
        .where((order) => order.customer)
        .equalTo((payment) => payment.payer)
        .window(TumblingEventTimeWindows.of(1_000))
        .apply(undefined as never),
    { instanceOf: WeirError },
  );
  t.is(join?.code, 'INVALID_FUNCTION');
  t.regex(join?.message ?? '', /^operator "Window Join" \(id "window-\d+"\) needs a function, an object with a join\(\) method or a class with one; got undefined$/);
  const coGroup = t.throws(
    () =>
      orders
        .coGroup(payments)
        .where((order) => order.customer)
        .equalTo((payment) => payment.payer)
        .window(TumblingEventTimeWindows.of(1_000))
        .apply({ join: () => {} } as never),
    { instanceOf: WeirError },
  );
  t.is(coGroup?.code, 'INVALID_FUNCTION');
  t.regex(coGroup?.message ?? '', /^operator "Window CoGroup" \(id "window-\d+"\) needs a function, an object with a coGroup\(\) method or a class with one; got an object without a coGroup\(\) method$/);
});
