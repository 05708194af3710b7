// Remote collect between two actor systems on loopback: sink subtasks' batches reach the client's
// receiver in order, and the receiver holds its acks while the reader's buffer is full, which stops
// the sender once COLLECT_MAX_IN_FLIGHT batches wait (backpressure).
import test from 'ava';
import { COLLECT_MAX_IN_FLIGHT, openRemoteCollectSender } from '../../../api/client/collect-sender.ts';
import { openRemoteCollect } from '../../../api/client/collect-receiver.ts';
import { createTestSystem } from '../../testkit/index.ts';
import { within } from '../helpers.ts';

const SENDER = { operator: 'operator "Sink: Collect" (id "sink-collect-3")', operatorId: 'sink-collect-3', subtaskIndex: 0 };

test('batches from a sink subtask reach the client in order, and the sender waits while the client has no room', async (t) => {
  const { system } = await createTestSystem(t, { name: 'client', remote: { port: 0 }, logLevel: 'warn' });
  const capacity = 10;
  const receiver = openRemoteCollect(system, capacity);
  t.teardown(() => receiver.close());
  t.is(receiver.target.kind, 'remote');
  const path = receiver.target.kind === 'remote' ? receiver.target.receiver : '';
  t.regex(path, /^weir:\/\/client@127\.0\.0\.1:\d+\/user\/collect-/);

  const sender = await openRemoteCollectSender(path, SENDER);
  // The first batch fills the channel: its ack, and every later one, waits for the reader.
  for (let batch = 0; batch < COLLECT_MAX_IN_FLIGHT; batch++) {
    t.is(sender.backlog(), null, `batch ${batch} may go`);
    sender.send(Array.from({ length: capacity }, (_, index) => batch * capacity + index));
  }
  const backlog = sender.backlog();
  t.not(backlog, null, 'the sender waits once COLLECT_MAX_IN_FLIGHT batches are unacknowledged');
  let released = false;
  void backlog?.then(() => (released = true));
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.false(released, 'no ack while the reader has not made room');

  const read: number[] = [];
  const reading = (async () => {
    for await (const value of receiver.channel) read.push(value as number);
  })();
  await within(sender.flush(), 'every batch to be acknowledged');
  sender.close();
  t.true(released);
  receiver.channel.end();
  await reading;
  t.deepEqual(read, Array.from({ length: COLLECT_MAX_IN_FLIGHT * capacity }, (_, index) => index));
});

test('a batch msgpack cannot encode fails the sender at once, naming the sink, instead of vanishing as a dead letter', async (t) => {
  const { system } = await createTestSystem(t, { name: 'client', remote: { port: 0 }, logLevel: 'off' });
  const receiver = openRemoteCollect(system, 10);
  t.teardown(() => receiver.close());
  const path = receiver.target.kind === 'remote' ? receiver.target.receiver : '';
  const sender = await openRemoteCollectSender(path, SENDER);
  t.teardown(() => sender.close());
  t.throws(() => sender.send([1, { bad: Symbol('not data') }]), {
    code: 'RECORD_ENCODING_FAILED',
    message: /^operator "Sink: Collect" \(id "sink-collect-3"\) \(subtask 0\): cannot send a batch of 2 records to the client: .*symbol/,
  });
  sender.send([1, 2]);
  await within(sender.flush(), 'the good batch to be acknowledged');
  t.pass();
});
