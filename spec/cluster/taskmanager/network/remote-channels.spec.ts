// Remote channels between two TaskManagers' network stacks in this process, over real ws on
// 127.0.0.1: batches arrive exactly once and in order per channel, credits bound what is in flight,
// requests wait for their partition, and connections are shared per pair of TaskManagers.
import test from 'ava';
import { CHANNEL_CREDITS } from '../../../../cluster/taskmanager/network/input-gate.ts';
import { partitionKey } from '../../../../cluster/taskmanager/network/network-environment.ts';
import { MAX_BACKLOG_BATCHES } from '../../../../cluster/taskmanager/network/subpartition.ts';
import { JOB, drain, eventually, location, produce, record, settle, startPeer, within, recordsOf } from './helpers.ts';

const KEY = partitionKey(JOB, 'map', 0, 0, 'sink', 0);

test('consumers on another TaskManager get every record of 3 subpartitions exactly once, in order, then the end', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const partition = a.network.createPartition(KEY, 3, 100);
  const gates = [0, 1, 2].map((subpartition) => b.network.createGate([location(KEY, subpartition, 'tm-a', a.address)]));
  const reading = gates.map((gate) => drain(gate, 10_000));
  const total = 30_000;
  await produce(partition, total, (n) => partition.emit(n % 3, record(n % 3, n), undefined), 10_000);
  partition.finish();
  const received = await Promise.all(reading);
  received.forEach(([records], channel) => {
    const expected = Array.from({ length: total / 3 }, (_, i) => record(channel, 3 * i + channel));
    t.deepEqual(records, expected, `channel ${channel}`);
  });
  t.true(gates.every((gate) => gate.finished));
  t.true(partition.isDrained, 'every subpartition delivered its end');
  t.is(b.server.connectionCount, 1, 'the three channels share one connection');
  t.is(a.server.connectionCount, 1);
});

test('credits bound the batches in flight: a consumer that does not poll holds the producer until it polls', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const partition = a.network.createPartition(KEY, 1, 100);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  const channel = gate.inputChannels[0];
  let batches = 0;
  // Emit whole batches while the partition lets us; stop once it stays unavailable.
  for (;;) {
    if (!partition.available) {
      const freed = await Promise.race([partition.whenAvailable().then(() => true), settle(300).then(() => false)]);
      if (!freed) break;
    }
    for (let n = 0; n < 1000; n++) partition.emit(0, record(0, batches * 1000 + n), undefined);
    batches++;
    t.true(batches <= 20, 'the producer is held back');
    if (batches > 20) return;
  }
  t.is(batches, CHANNEL_CREDITS + MAX_BACKLOG_BATCHES, 'the consumer holds its credit, the backlog the rest');
  t.is(channel.batches.length, CHANNEL_CREDITS, 'no more batches crossed than the credit granted');
  t.false(partition.available);
  const polled = gate.poll();
  t.deepEqual(polled && recordsOf(polled)[0], record(0, 0));
  await within(partition.whenAvailable(), 2000, 'the credit to free the producer');
  t.true(partition.available);
  await eventually(() => channel.batches.length === CHANNEL_CREDITS, 2000, 'the next batch to cross');
});

test('a request that arrives before its partition exists is served once the partition registers', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const gate = b.network.createGate([location(KEY, 1, 'tm-a', a.address)]);
  const reading = drain(gate);
  await eventually(() => a.server.connectionCount === 1, 2000, 'the request to reach tm-a');
  await settle(20);
  const partition = a.network.createPartition(KEY, 2, 100);
  partition.emit(1, 'first', undefined);
  partition.emit(0, 'not for this channel', undefined);
  partition.emit(1, 'second', undefined);
  partition.finish();
  t.deepEqual(await reading, [['first', 'second']]);
});

test('one connection per pair of TaskManagers: the side that was dialled reuses it for its own requests', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const keyBA = partitionKey(JOB, 'map', 1, 0, 'sink', 0);
  const fromA = a.network.createPartition(KEY, 1, 100);
  const fromB = b.network.createPartition(keyBA, 1, 100);
  const gateOnB = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  const readingOnB = drain(gateOnB);
  fromA.emit(0, 'a->b', undefined);
  fromA.finish();
  t.deepEqual(await readingOnB, [['a->b']]);
  const gateOnA = a.network.createGate([location(keyBA, 0, 'tm-b', b.address)]);
  fromB.emit(0, 'b->a', undefined);
  fromB.finish();
  t.deepEqual(await drain(gateOnA), [['b->a']]);
  t.is(a.server.connectionCount, 1);
  t.is(b.server.connectionCount, 1);
});

test('channels of several partitions interleave on one connection and each keeps its order', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const keys = [0, 1, 2, 3].map((subtask) => partitionKey(JOB, 'map', subtask, 0, 'sink', 0));
  const partitions = keys.map((key) => a.network.createPartition(key, 1, 100));
  const gate = b.network.createGate(keys.map((key) => location(key, 0, 'tm-a', a.address)));
  const reading = drain(gate, 10_000);
  const perPartition = 5_000;
  await produce({ get available() { return partitions.every((p) => p.available); }, whenAvailable: () => Promise.all(partitions.map((p) => p.whenAvailable())).then(() => {}) }, perPartition * 4, (n) =>
    partitions[n % 4].emit(0, record(n % 4, n >> 2), undefined),
  10_000);
  partitions.forEach((partition) => partition.finish());
  const received = await reading;
  received.forEach((records, channel) => t.deepEqual(records, Array.from({ length: perPartition }, (_, i) => record(channel, i)), `channel ${channel}`));
});

test('timestamps, watermarks and watermark status cross to another TaskManager in order with the records', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const partition = a.network.createPartition(KEY, 1, 100);
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  partition.emit(0, 'a', undefined);
  partition.broadcastEvent(1_700_000_000_000);
  partition.emit(0, 'b', 1_700_000_000_005);
  partition.broadcastEvent('idle');
  partition.broadcastEvent('active');
  partition.broadcastEvent(Number.NEGATIVE_INFINITY);
  partition.finish();
  const elements: unknown[] = [];
  const deadline = Date.now() + 5_000;
  while (!gate.finished) {
    const element = gate.poll();
    if (element === undefined) {
      await within(gate.whenAvailable(), deadline - Date.now(), 'the batch to cross');
      continue;
    }
    if (element.kind === 'end') elements.push('end');
    else elements.push({ records: [...element.batch.records], timestamps: element.batch.timestamps, events: element.batch.events });
  }
  t.deepEqual(elements, [
    { records: ['a', 'b'], timestamps: [undefined, 1_700_000_000_005], events: [1, 1_700_000_000_000, 2, 'idle', 2, 'active', 2, Number.NEGATIVE_INFINITY] },
    'end',
  ]);
});
