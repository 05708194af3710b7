import test from 'ava';
import { Behaviors } from '../../actors/index.ts';
import { TestProbe, createTestSystem } from '../testkit/index.ts';

test('a busy actor yields to another after `throughput` messages', async (t) => {
  const { system } = await createTestSystem(t, { throughput: 100 });
  const TOTAL = 10_000;
  let handledByA = 0;
  const probe = new TestProbe<number>(system);
  const a = system.spawn(
    Behaviors.receiveMessage<'work'>(() => {
      handledByA++;
      if (handledByA === TOTAL) probe.ref.tell(-1);
      return Behaviors.same;
    }),
    'a',
  );
  const b = system.spawn(
    Behaviors.receiveMessage<'work'>(() => {
      probe.ref.tell(handledByA);
      return Behaviors.same;
    }),
    'b',
  );
  for (let i = 0; i < TOTAL; i++) a.tell('work');
  b.tell('work');
  // A was ready first, so it gets one turn of exactly `throughput` messages before B's turn.
  t.is(await probe.expectMessage(), 100);
  t.is(await probe.expectMessage(), -1);
});

test('with throughput 1 two busy actors alternate message by message', async (t) => {
  const { system } = await createTestSystem(t, { throughput: 1 });
  const order: string[] = [];
  const probe = new TestProbe<'done'>(system);
  const worker = (name: string) =>
    Behaviors.receiveMessage<number>((n) => {
      order.push(`${name}${n}`);
      if (order.length === 6) probe.ref.tell('done');
      return Behaviors.same;
    });
  const a = system.spawn(worker('a'), 'a');
  const b = system.spawn(worker('b'), 'b');
  for (let i = 0; i < 3; i++) a.tell(i);
  for (let i = 0; i < 3; i++) b.tell(i);
  await probe.expectMessage();
  t.deepEqual(order, ['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
});

test('the dispatcher yields to the event loop while an actor works through a long stream of messages to itself', async (t) => {
  const { system } = await createTestSystem(t);
  // Two million self-sends take about half a second, a hundred times DEFAULT_YIELD_AFTER_MS (5 ms).
  const LIMIT = 2_000_000;
  let immediateRan = false;
  let handled = 0;
  const probe = new TestProbe<number>(system);
  const ref = system.spawn(
    Behaviors.receive<'next'>((ctx) => {
      handled++;
      if (immediateRan || handled === LIMIT) probe.ref.tell(handled);
      else ctx.self.tell('next');
      return Behaviors.same;
    }),
    'spinner',
  );
  ref.tell('next');
  setImmediate(() => {
    immediateRan = true;
  });
  const handledWhenStopped = await probe.expectMessage(10_000);
  t.true(handledWhenStopped < LIMIT, `the setImmediate callback ran only after ${handledWhenStopped} messages`);
  t.true(handledWhenStopped > 100, 'the actor got more than one turn before the event loop ran');
});
