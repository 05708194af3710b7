// An input gate polls its channels round robin, returns a credit per batch polled, finishes when
// every channel ended and was drained, surfaces a channel's failure from poll(), and skips a channel
// blocked for a checkpoint's alignment until it resumes.
import test from 'ava';
import { LocalInputGate } from '../../../../cluster/taskmanager/network/input-gate.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { batchOf, recordsOf, within } from './helpers.ts';

test('poll takes batches round robin across channels', (t) => {
  const gate = new LocalInputGate(3);
  const [a, b, c] = gate.inputChannels;
  a.deliver(batchOf('a1'));
  a.deliver(batchOf('a2'));
  a.deliver(batchOf('a3'));
  b.deliver(batchOf('b1'));
  c.deliver(batchOf('c1'));
  c.deliver(batchOf('c2'));
  const polled: unknown[] = [];
  for (let element = gate.poll(); element; element = gate.poll()) polled.push(...recordsOf(element));
  t.deepEqual(polled, ['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  t.is(gate.poll(), undefined);
});

test('each polled batch names its channel and returns one credit to that channel`s sender', (t) => {
  const gate = new LocalInputGate(2);
  const credits: Array<[number, number]> = [];
  gate.inputChannels.forEach((channel) => (channel.creditSink = (n) => credits.push([channel.index, n])));
  gate.inputChannels[1].deliver(batchOf(1, 2));
  t.deepEqual(gate.poll(), { kind: 'batch', channel: 1, batch: batchOf(1, 2) });
  t.deepEqual(credits, [[1, 1]]);
});

test('the gate finishes once every channel ended and everything was polled', async (t) => {
  const gate = new LocalInputGate(2);
  gate.inputChannels[0].deliver(batchOf('x'));
  gate.inputChannels[0].end();
  t.false(gate.finished);
  gate.inputChannels[1].end();
  t.false(gate.finished, 'a batch is still queued');
  t.deepEqual(gate.poll(), { kind: 'batch', channel: 0, batch: batchOf('x') });
  t.false(gate.finished, 'the ends are not polled yet');
  t.deepEqual([gate.poll(), gate.poll(), gate.poll()], [{ kind: 'end', channel: 1 }, { kind: 'end', channel: 0 }, undefined], 'each channel\'s end once, after its batches (round robin)');
  t.true(gate.finished);
  await within(gate.whenAvailable(), 100, 'a finished gate to answer at once');
});

test('whenAvailable settles on a delivery, on an end and on a failure', async (t) => {
  const gate = new LocalInputGate(3);
  const delivered = gate.whenAvailable();
  gate.inputChannels[0].deliver(batchOf(1));
  await within(delivered, 1000, 'a delivery to wake the gate');
  gate.poll();
  const ended = gate.whenAvailable();
  gate.inputChannels[1].end();
  await within(ended, 1000, 'an end to wake the gate');
  const failed = gate.whenAvailable();
  gate.inputChannels[2].fail(new WeirError('DATA_CONNECTION_LOST', 'gone'));
  await within(failed, 1000, 'a failure to wake the gate');
  t.pass();
});

test('after a channel fails, poll() throws that error, even with batches queued, and the gate never finishes', async (t) => {
  const gate = new LocalInputGate(2);
  gate.inputChannels[0].deliver(batchOf('queued'));
  const first = new WeirError('DATA_CONNECTION_LOST', 'data connection lost before the end of partition p of tm-a at 127.0.0.1:1: closed');
  gate.inputChannels[1].fail(first);
  gate.inputChannels[0].fail(new WeirError('DATA_CONNECTION_LOST', 'a second failure'));
  const thrown = t.throws(() => gate.poll(), { instanceOf: WeirError });
  t.is(thrown, first, 'the first failure wins');
  t.throws(() => gate.poll(), { is: first });
  t.false(gate.finished);
  t.is(gate.failed, first);
  await within(gate.whenAvailable(), 100, 'a failed gate to answer at once');
});

test('release ends every channel and a producer still sending is not heard', (t) => {
  const gate = new LocalInputGate(2);
  gate.inputChannels[0].deliver(batchOf('dropped'));
  gate.release();
  t.true(gate.finished);
  gate.inputChannels[1].deliver(batchOf('late'));
  t.true(gate.finished);
  t.is(gate.poll(), undefined);
});

test('a blocked channel is skipped: its batches and its end stay queued and return no credit, and the gate does not finish', (t) => {
  const gate = new LocalInputGate(2);
  const credits = [0, 0];
  gate.inputChannels.forEach((channel) => (channel.creditSink = (n) => (credits[channel.index] += n)));
  const [a, b] = gate.inputChannels;
  a.deliver(batchOf('a1'));
  a.end();
  b.deliver(batchOf('b1'));
  b.end();
  gate.blockChannel(0);
  gate.blockChannel(0);
  const polled: unknown[] = [];
  for (let element = gate.poll(); element; element = gate.poll()) polled.push(element.kind === 'end' ? `end ${element.channel}` : recordsOf(element)[0]);
  t.deepEqual(polled, ['b1', 'end 1']);
  t.deepEqual(credits, [0, 1]);
  t.false(gate.finished);
  gate.resumeChannel(0);
  gate.resumeChannel(0);
  for (let element = gate.poll(); element; element = gate.poll()) polled.push(element.kind === 'end' ? `end ${element.channel}` : recordsOf(element)[0]);
  t.deepEqual(polled, ['b1', 'end 1', 'a1', 'end 0']);
  t.deepEqual(credits, [1, 1]);
  t.true(gate.finished);
});

test('whenAvailable does not settle for a blocked channel`s batch; resuming that channel settles it', async (t) => {
  const gate = new LocalInputGate(2);
  gate.blockChannel(1);
  gate.inputChannels[1].deliver(batchOf('held'));
  const available = gate.whenAvailable();
  let settled = false;
  void available.then(() => (settled = true));
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  t.false(settled);
  t.true(gate.waiting);
  gate.resumeChannel(1);
  await within(available, 2000, 'the resumed channel to wake the reader');
  t.deepEqual(recordsOf(gate.poll() ?? { kind: 'end', channel: -1 }), ['held']);
});

test('resuming a channel with nothing queued wakes nobody', async (t) => {
  const gate = new LocalInputGate(2);
  gate.blockChannel(0);
  const available = gate.whenAvailable();
  gate.resumeChannel(0);
  let settled = false;
  void available.then(() => (settled = true));
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  t.false(settled);
  gate.inputChannels[0].deliver(batchOf('x'));
  await within(available, 2000, 'a delivery to wake the reader');
  t.pass();
});

test('a priority event is handed out by pollPriority ahead of the queue, with the batches it overtook; it returns no credit and blocking does not hold it', (t) => {
  const gate = new LocalInputGate(2);
  const credits: number[] = [];
  gate.inputChannels[0].creditSink = (n) => credits.push(n);
  let told = 0;
  gate.setPriorityListener(() => told++);
  const [channel] = gate.inputChannels;
  channel.deliver(batchOf('a'));
  channel.deliver(batchOf('b'));
  t.deepEqual(recordsOf(gate.poll()!), ['a']);
  gate.blockChannel(0);
  channel.deliverPriority({ barrier: 1 });
  channel.deliver(batchOf('after'));
  t.is(told, 1);
  t.deepEqual(gate.pollPriority(), { channel: 0, event: { barrier: 1 }, overtaken: [batchOf('b')] }, 'the batch delivered after it is not overtaken');
  t.is(gate.pollPriority(), undefined);
  t.deepEqual(credits, [1], 'only the polled batch returned credit');
  gate.resumeChannel(0);
  t.deepEqual(recordsOf(gate.poll()!), ['b'], 'the overtaken batches are still handed out, in order');
});

test('a priority event counts the batches polled between its arrival and its poll, and wakes a waiting reader', async (t) => {
  const gate = new LocalInputGate(1);
  const [channel] = gate.inputChannels;
  channel.deliver(batchOf('a'));
  channel.deliver(batchOf('b'));
  channel.deliverPriority('p');
  t.deepEqual(recordsOf(gate.poll()!), ['a']);
  t.deepEqual(gate.pollPriority()?.overtaken, [batchOf('b')]);
  const empty = new LocalInputGate(1);
  const waiting = empty.whenAvailable();
  empty.inputChannels[0].deliverPriority('p');
  await within(waiting, 1000, 'the priority event to wake the reader');
  t.pass();
});

test('a released gate drops its priority events and ignores later ones', (t) => {
  const gate = new LocalInputGate(1);
  gate.inputChannels[0].deliverPriority('p');
  gate.release();
  gate.inputChannels[0].deliverPriority('q');
  t.is(gate.pollPriority(), undefined);
});
