// The network environment wires input channels to partitions: a local channel is handed batches
// directly, a request waits until its partition registers, and a request that can never be served
// fails its reader rather than the producer.
import test from 'ava';
import { CHANNEL_CREDITS } from '../../../../cluster/taskmanager/network/input-gate.ts';
import { NetworkEnvironment, partitionKey } from '../../../../cluster/taskmanager/network/network-environment.ts';
import { MAX_BACKLOG_BATCHES } from '../../../../cluster/taskmanager/network/subpartition.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { JOB, RecordingReader, drain, location, produce, within } from './helpers.ts';

const KEY = partitionKey(JOB, 'map', 0, 0, 'sink', 0);

test('local channels read their subpartitions: every record once, in order, then the end', async (t) => {
  const network = new NetworkEnvironment(() => true);
  const partition = network.createPartition(KEY, 2, 100);
  const gates = [0, 1].map((subpartition) => network.createGate([location(KEY, subpartition)]));
  const reading = gates.map((gate) => drain(gate));
  await produce(partition, 5000, (n) => partition.emit(n % 2, n, undefined));
  partition.finish();
  const [even, odd] = await Promise.all(reading);
  t.deepEqual(even[0], Array.from({ length: 2500 }, (_, i) => 2 * i));
  t.deepEqual(odd[0], Array.from({ length: 2500 }, (_, i) => 2 * i + 1));
  t.true(partition.isDrained);
});

test('a request made before its partition exists is served when the partition registers', async (t) => {
  const network = new NetworkEnvironment(() => true);
  const gate = network.createGate([location(KEY, 1)]);
  const reading = drain(gate);
  const partition = network.createPartition(KEY, 2, 100);
  partition.emit(1, 'late', undefined);
  partition.finish();
  t.deepEqual(await reading, [['late']]);
  t.is(network.partitionCount, 1);
});

test('credits bound what a local channel holds: a consumer that does not poll holds the producer', async (t) => {
  const network = new NetworkEnvironment(() => true);
  const partition = network.createPartition(KEY, 1, 100);
  const gate = network.createGate([location(KEY, 0)]);
  let batches = 0;
  while (partition.available) {
    for (let n = 0; n < 1000; n++) partition.emit(0, n, undefined);
    batches++;
  }
  t.is(batches, CHANNEL_CREDITS + MAX_BACKLOG_BATCHES, 'the channel holds its credit, the backlog the rest');
  t.is(gate.inputChannels[0].batches.length, CHANNEL_CREDITS);
  gate.poll();
  t.true(partition.available, 'one poll lets one batch out of the backlog');
  await within(partition.whenAvailable(), 100, 'the producer to be released');
});

test('an old attempt’s release never touches the partition of the attempt that replaced it', async (t) => {
  const network = new NetworkEnvironment(() => true);
  const old = partitionKey(JOB, 'map', 0, 0, 'sink', 0);
  const current = partitionKey(JOB, 'map', 0, 1, 'sink', 0);
  t.not(old, current);
  network.createPartition(old, 1, 100);
  const partition = network.createPartition(current, 1, 100);
  network.releasePartition(old); // the cancelled first attempt cleans up after itself, late
  const reading = drain(network.createGate([location(current, 0)]));
  partition.emit(0, 'from attempt 1', undefined);
  partition.finish();
  t.deepEqual(await reading, [['from attempt 1']]);
  t.is(network.partitionCount, 1);
});

test('a request for a partition of a job released here fails with PARTITION_RELEASED', (t) => {
  const network = new NetworkEnvironment(() => true);
  const parked = new RecordingReader();
  network.serve(KEY, { subpartition: 0, reader: parked, credits: 1, onAttached: () => {} });
  network.releaseJob(JOB);
  t.is((parked.failure as WeirError | undefined)?.code, 'PARTITION_RELEASED', 'a parked request fails with its job');
  t.is(parked.failure?.message, `partition ${KEY} (subpartition 0) will not register: its job was released here`);
  const late = new RecordingReader();
  network.serve(KEY, { subpartition: 0, reader: late, credits: 1, onAttached: () => {} });
  t.true(late.failure instanceof WeirError);
  t.is((late.failure as WeirError).code, 'PARTITION_RELEASED');
  t.regex((late.failure as WeirError).message, new RegExp(`partition ${KEY} \\(subpartition 0\\): its job was released here`));
  const otherJob = new RecordingReader();
  network.serve(partitionKey('job-2', 'map', 0, 0, 'sink', 0), { subpartition: 0, reader: otherJob, credits: 1, onAttached: () => {} });
  t.is(otherJob.failure, undefined, 'another job still parks');
});

test('a request for a subpartition that does not exist fails the reader, not the producer registering', (t) => {
  const network = new NetworkEnvironment(() => true);
  const gate = network.createGate([location(KEY, 5)]);
  t.notThrows(() => network.createPartition(KEY, 2, 100));
  const error = t.throws(() => gate.poll(), { instanceOf: WeirError });
  t.is(error?.code, 'SUBPARTITION_NOT_FOUND');
  t.is(error?.message, `partition ${KEY} has 2 subpartitions, not 5`);
});

test('a remote location without a connector fails its channel with DATA_CONNECTION_FAILED naming the producer', (t) => {
  const network = new NetworkEnvironment((where) => where.resourceId === 'tm-b');
  const gate = network.createGate([location(KEY, 0, 'tm-a', '127.0.0.1:1')]);
  const error = t.throws(() => gate.poll(), { instanceOf: WeirError });
  t.is(error?.code, 'DATA_CONNECTION_FAILED');
  t.is(error?.message, `no data connection to tm-a, which produces ${KEY}`);
});

test('releasing a partition fails the readers that have not had its end, and the requests parked for it', async (t) => {
  const network = new NetworkEnvironment(() => true);
  const partition = network.createPartition(KEY, 2, 100);
  const done = new RecordingReader();
  const reading = new RecordingReader();
  network.serve(KEY, { subpartition: 0, reader: done, credits: 1, onAttached: () => {} });
  network.serve(KEY, { subpartition: 1, reader: reading, credits: 1, onAttached: () => {} });
  partition.subpartitions[0].finish();
  partition.emit(1, 'some', undefined);
  partition.flush();
  const other = partitionKey(JOB, 'map', 1, 0, 'sink', 0);
  const parked = new RecordingReader();
  network.serve(other, { subpartition: 0, reader: parked, credits: 1, onAttached: () => {} });

  network.releasePartition(KEY);
  network.releasePartition(other);
  t.true(done.ended);
  t.is(done.failure, undefined, 'a reader that had the end is told nothing more');
  t.deepEqual(reading.batches, [['some']]);
  t.is((reading.failure as WeirError | undefined)?.code, 'PARTITION_RELEASED');
  t.is(reading.failure?.message, `partition ${KEY} (subpartition 1) was released before its end: its producer stopped or its job ended`);
  t.is(parked.failure?.message, `partition ${other} (subpartition 0) was released before it registered here`);
  t.is(network.partitionCount, 0);
});

test('requests waiting for partitions are bounded: past the limit a request fails at once, naming the key', async (t) => {
  const network = new NetworkEnvironment(() => true, undefined, { maxWaitingRequests: 3 });
  const keys = [0, 1, 2, 3].map((n) => partitionKey(JOB, 'map', n, 0, 'sink', 0));
  const readers = keys.map(() => new RecordingReader());
  keys.forEach((key, n) => network.serve(key, { subpartition: 0, reader: readers[n]!, credits: 1, onAttached: () => {} }));
  t.is(network.waitingRequests, 3);
  t.deepEqual(readers.slice(0, 3).map((reader) => reader.failure), [undefined, undefined, undefined]);
  const refused = readers[3]!.failure;
  t.true(refused instanceof WeirError);
  t.is((refused as WeirError).code, 'PARTITION_REQUEST_FAILED');
  t.is((refused as WeirError).message, `partition ${keys[3]} (subpartition 0) is not registered here, and 3 requests already wait for partitions (taskmanager.network.max-waiting-requests): refused`);
  t.deepEqual(network.refusals, { tooMany: 1, expired: 0 });
  // A registration takes its waiting requests: room again.
  network.createPartition(keys[0]!, 1, 100);
  t.is(network.waitingRequests, 2);
});

test('a request waits for its partition at most the partition request timeout, then fails its reader', async (t) => {
  const network = new NetworkEnvironment(() => true, undefined, { partitionRequestTimeoutMs: 60 });
  const reader = new RecordingReader();
  network.serve(KEY, { subpartition: 0, reader, credits: 1, onAttached: () => {} });
  t.is(network.waitingRequests, 1);
  await within(
    new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (reader.failure === undefined) return;
        clearInterval(check);
        resolve();
      }, 5);
    }),
    2_000,
    'the request to expire',
  );
  t.is((reader.failure as WeirError).message, `partition ${KEY} (subpartition 0) did not register here within 60 ms (taskmanager.network.partition-request-timeout)`);
  t.is(network.waitingRequests, 0);
  t.deepEqual(network.refusals, { tooMany: 0, expired: 1 });
  // The partition registering later finds no stale request.
  network.createPartition(KEY, 1, 100);
  t.is(network.waitingRequests, 0);
});
