// Declaring the broadcast state pattern: broadcast(...descriptors) makes a BroadcastStream (while
// broadcast() alone stays the broadcast partitioner), descriptors are checked by shape where they are
// given, and connect() plans one two-input operator fed by the other stream and the broadcast.
import test from 'ava';
import { BroadcastStream, DataStream, KeyedBroadcastConnectedStream, ListStateDescriptor, MapStateDescriptor, StateTtlConfig, StreamExecutionEnvironment } from '../../api/index.ts';
import { planJob } from '../../api/internal.ts';
import { WeirError } from '../../messages/errors.ts';

const rules = new MapStateDescriptor<string, number>('rules');

test('broadcast(...descriptors) gives a BroadcastStream that keeps them; broadcast() alone is still the partitioner', (t) => {
  const env = new StreamExecutionEnvironment();
  const limits = new MapStateDescriptor<string, string>('limits');
  const broadcast = env.fromElements(1).broadcast(rules, limits);
  t.true(broadcast instanceof BroadcastStream);
  t.deepEqual(broadcast.getBroadcastStateDescriptors(), [rules, limits]);
  t.true(env.fromElements(1).broadcast() instanceof DataStream);
});

test('broadcast() takes MapStateDescriptors only, by shape, and none with a time-to-live', (t) => {
  const env = new StreamExecutionEnvironment();
  const stream = env.fromElements(1);
  const refused = (argument: unknown, message: string): void => {
    const error = t.throws(() => stream.broadcast(rules, argument as MapStateDescriptor<string, number>), { instanceOf: WeirError });
    t.is(error.code, 'INVALID_ARGUMENT');
    t.is(error.message, message);
  };
  refused(new ListStateDescriptor<number>('offsets'), 'step "broadcast-1": broadcast() takes MapStateDescriptors; argument 2 is a list state descriptor "offsets"');
  refused('rules', 'step "broadcast-1": broadcast() takes MapStateDescriptors; argument 2 is the string "rules"');
  refused(null, 'step "broadcast-1": broadcast() takes MapStateDescriptors; argument 2 is null');
  const expiring = new MapStateDescriptor<string, number>('expiring');
  expiring.enableTimeToLive(StateTtlConfig.newBuilder(1000).build());
  refused(expiring, 'step "broadcast-1": broadcast state "expiring" cannot have a time-to-live: it is operator state, which never expires');
  // A descriptor made by another copy of the API (a job bundle's) has the same shape, and is taken.
  t.deepEqual(stream.broadcast({ kind: 'map', name: 'copied' } as MapStateDescriptor<string, number>).getBroadcastStateDescriptors(), [{ kind: 'map', name: 'copied' }]);
});

test('connect plans one operator: input 0 from the other stream as it is partitioned, input 1 broadcast', async (t) => {
  const plan = await planJob(
    (env) => {
      const items = env.fromElements('a', 'b').keyBy((item) => item);
      const connected = items.connect(env.fromElements(1).broadcast(rules));
      t.true(connected instanceof KeyedBroadcastConnectedStream);
      connected.process({ processElement: () => {}, processBroadcastElement: () => {} }).name('Rules').print();
      env.fromElements('c').connect(env.fromElements(2).broadcast(rules)).process({ processElement: () => {}, processBroadcastElement: () => {} }).print();
    },
    [],
    { parallelism: 3 },
  );
  const summary = plan.graph.vertices
    .filter((vertex) => vertex.inputs.length === 2)
    .map((vertex) => ({
      head: vertex.operators[0].kind,
      config: vertex.operators[0].config,
      parallelism: vertex.parallelism,
      inputs: vertex.inputs.map((edge) => `${edge.targetInput}: ${edge.partitioning}`),
    }));
  t.deepEqual(summary, [
    { head: 'keyed-broadcast-process', config: { broadcastStates: ['rules'] }, parallelism: 3, inputs: ['0: hash', '1: broadcast'] },
    { head: 'broadcast-process', config: { broadcastStates: ['rules'] }, parallelism: 3, inputs: ['0: rebalance', '1: broadcast'] },
  ]);
});

test('process() needs an object or a class with processElement() and processBroadcastElement()', (t) => {
  const env = new StreamExecutionEnvironment();
  const connected = env.fromElements(1).connect(env.fromElements('r').broadcast(rules));
  const error = t.throws(() => connected.process({ processElement: () => {} } as never), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_FUNCTION');
  t.is(
    error.message,
    'operator "Broadcast Process" (id "broadcast-process-3") needs an object with processElement() and processBroadcastElement() methods or a class with them; got an object without a processBroadcastElement() method',
  );
});
