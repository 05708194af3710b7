import test from 'ava';
import { Behaviors } from '../../actors/index.ts';
import { TestProbe, createTestSystem } from './index.ts';

test('expectMessage returns messages in arrival order, also those that came before the call', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  probe.ref.tell('one');
  probe.ref.tell('two');
  t.is(await probe.expectMessage(), 'one');
  t.is(await probe.expectMessage(), 'two');
  t.is(probe.receivedCount, 2);
});

test('expectMessage rejects after its timeout with the probe path in the message', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system, 'quiet');
  const error = await t.throwsAsync(probe.expectMessage(20));
  t.is(error.message, 'weir://test/user/quiet got no message within 20 ms (received 0 in all)');
});

test('expectNoMessage rejects when a message arrives', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<{ type: string }>(system, 'noisy');
  probe.ref.tell({ type: 'Surprise' });
  const error = await t.throwsAsync(probe.expectNoMessage(10));
  t.true(error.message.includes('"type":"Surprise"'));
});

test('a probe sees the Terminated signal of an actor it watches', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<never>(system);
  const target = system.spawn(Behaviors.receiveMessage<string>(() => Behaviors.stopped), 'target');
  probe.watch(target);
  target.tell('stop');
  const terminated = await probe.expectTerminated();
  t.is(terminated.ref.path, target.path);
});
