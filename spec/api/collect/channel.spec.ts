// The client's collect buffer: bounded, read as an AsyncIterable, ended by the job's outcome.
import test from 'ava';
import { CollectChannel, openLocalCollect } from '../../../api/collect/channel.ts';
import { localCollectChannel } from '../../../api/collect/channel.ts';

async function drain<T>(channel: CollectChannel<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of channel) values.push(value);
  return values;
}

test('records pushed in batches are read one by one, in order, until end()', async (t) => {
  const channel = new CollectChannel<number>();
  channel.push([1, 2]);
  channel.push([]);
  channel.push([3]);
  const reading = drain(channel);
  channel.push([4, 5]);
  channel.end();
  channel.push([6]);
  t.deepEqual(await reading, [1, 2, 3, 4, 5]);
});

test('a channel has no room at capacity, and whenRoom() settles once the reader has taken some', async (t) => {
  const channel = new CollectChannel<number>(3);
  channel.push([1, 2]);
  t.true(channel.hasRoom);
  channel.push([3, 4]);
  t.false(channel.hasRoom, 'sinks push whole batches: the buffer may pass capacity by one batch');
  let roomy = false;
  const room = channel.whenRoom().then(() => (roomy = true));
  await channel.next();
  await Promise.resolve();
  t.false(roomy, 'still 3 records buffered');
  await channel.next();
  await room;
  t.true(channel.hasRoom);
});

test('fail() makes the next read reject with the error, dropping what was buffered', async (t) => {
  const channel = new CollectChannel<number>();
  channel.push([1, 2]);
  t.deepEqual(await channel.next(), { done: false, value: 1 });
  channel.fail(new Error('job failed'));
  await t.throwsAsync(channel.next(), { message: 'job failed' });
});

test('a pending read is rejected by fail() and finished by end()', async (t) => {
  const failing = new CollectChannel<number>();
  const failed = failing.next();
  failing.fail(new Error('boom'));
  await t.throwsAsync(failed, { message: 'boom' });
  const ending = new CollectChannel<number>();
  const ended = ending.next();
  ending.end();
  t.deepEqual(await ended, { done: true, value: undefined });
});

test('return() (a break) stops the reader once: the job is cancelled, later pushes are dropped, waiting sinks go on', async (t) => {
  const channel = new CollectChannel<number>(1);
  let stops = 0;
  channel.onReaderStopped = () => stops++;
  channel.push([1, 2]);
  const room = channel.whenRoom();
  for await (const value of channel) {
    t.is(value, 1);
    break;
  }
  await room;
  channel.push([3]);
  channel.close();
  t.is(stops, 1);
  t.deepEqual(await channel.next(), { done: true, value: undefined });
});

test('an ended channel is not stopped by closing its receiver: the reader keeps what is buffered', async (t) => {
  const receiver = openLocalCollect();
  t.is(receiver.target.kind, 'local');
  const id = receiver.target.kind === 'local' ? receiver.target.channel : '';
  t.is(localCollectChannel(id), receiver.channel);
  receiver.channel.push([1, 2]);
  receiver.channel.end();
  receiver.close();
  t.is(localCollectChannel(id), undefined, 'sinks can no longer find it');
  t.deepEqual(await drain(receiver.channel), [1, 2]);
});
