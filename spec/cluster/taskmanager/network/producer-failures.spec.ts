// A batch that a remote channel cannot send is the producer's fault: over real ws between two
// TaskManagers' network stacks, a record msgpack cannot encode, or a batch over the frame limit,
// fails the consumer's channel and the producing partition with one message naming the operator
// that emitted it (the deployment's `producer`). Other channels go on; a local channel never encodes.
import test, { type ExecutionContext } from 'ava';
import type { LocalInputGate } from '../../../../cluster/taskmanager/network/input-gate.ts';
import { partitionKey } from '../../../../cluster/taskmanager/network/network-environment.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { JOB, drain, eventually, location, startPeer } from './helpers.ts';

const KEY = partitionKey(JOB, 'tokenize', 0, 0, 'count', 0);
const PRODUCER = 'operator "Tokenize" (id "flat-map-1") of "Source: Lines -> Tokenize" sending to "Count"';

/** Waits (bounded) until `gate` failed; its poll() then throws the WeirError returned. */
async function gateFailure(t: ExecutionContext, gate: LocalInputGate): Promise<WeirError> {
  await eventually(() => gate.failed !== undefined, 5000, 'the gate to fail');
  return t.throws(() => gate.poll(), { instanceOf: WeirError }) as WeirError;
}

test('a record msgpack cannot encode fails its channel and the producer, naming the operator that emitted it', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const producerFailures: Error[] = [];
  const partition = a.network.createPartition(KEY, 2, 100, { producer: PRODUCER, onFailure: (error) => producerFailures.push(error) });
  const bad = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  const good = b.network.createGate([location(KEY, 1, 'tm-a', a.address)]);
  const reading = drain(good);
  partition.emit(0, { word: 'fine' }, undefined);
  partition.emit(0, { word: 'odd', tag: Symbol('bad') }, undefined);
  partition.emit(1, { word: 'fine' }, undefined);
  partition.finish();

  const error = await gateFailure(t, bad);
  const expected = `cannot encode a batch of 2 records from ${PRODUCER}: Unknown type: symbol`;
  t.is(error.code, 'RECORD_ENCODING_FAILED');
  t.is(error.message, `the producer cannot serve partition ${KEY} (subpartition 0) of tm-a at ${a.address}: ${expected}`);
  t.deepEqual(await reading, [[{ word: 'fine' }]], 'the other channel of the partition is served to its end');

  t.is(producerFailures.length, 1, 'the producer is told once');
  const [producerError] = producerFailures;
  t.true(producerError instanceof WeirError);
  t.is((producerError as WeirError).code, 'RECORD_ENCODING_FAILED');
  t.is(producerError.message, expected);
  t.is(partition.failed, producerError);
});

test('a circular record and a BigInt over 64 bits fail the same way, each naming the operator', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const b = await startPeer(t, 'tm-b');
  const circular: Record<string, unknown> = { word: 'loop' };
  circular.self = circular;
  const producerFailures: Error[] = [];
  const partition = a.network.createPartition(KEY, 2, 100, { producer: PRODUCER, onFailure: (error) => producerFailures.push(error) });
  const gates = [0, 1].map((subpartition) => b.network.createGate([location(KEY, subpartition, 'tm-a', a.address)]));
  partition.emit(0, circular, undefined);
  partition.emit(1, { n: 1n << 70n }, undefined);
  partition.finish();

  const [loop, big] = await Promise.all(gates.map((gate) => gateFailure(t, gate)));
  t.is(loop.code, 'RECORD_ENCODING_FAILED');
  t.true(loop.message.includes(`cannot encode a batch of 1 records from ${PRODUCER}: Maximum call stack size exceeded`), loop.message);
  t.is(big.code, 'RECORD_ENCODING_FAILED');
  t.true(big.message.includes(`cannot encode a batch of 1 records from ${PRODUCER}: 1180591620717411303424 was too large`), big.message);
  t.is(producerFailures.length, 1, 'only the first failure reaches the producer');
});

test('a batch over the frame limit fails its channel and the producer with FRAME_TOO_LARGE naming the operator', async (t) => {
  const a = await startPeer(t, 'tm-a', { maxFrameBytes: 4096 });
  const b = await startPeer(t, 'tm-b');
  const producerFailures: Error[] = [];
  const partition = a.network.createPartition(KEY, 1, 100, { producer: PRODUCER, onFailure: (error) => producerFailures.push(error) });
  const gate = b.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  partition.emit(0, 'x'.repeat(10_000), undefined);
  partition.flush();

  const error = await gateFailure(t, gate);
  t.is(error.code, 'FRAME_TOO_LARGE');
  t.regex(error.message, new RegExp(`: a batch of 1 records from ${PRODUCER.replace(/[()]/g, '\\$&')} encodes to \\d+ bytes, over the 4096 bytes allowed$`));
  await eventually(() => producerFailures.length === 1, 2000, 'the producer to be told');
  t.is((producerFailures[0] as WeirError).code, 'FRAME_TOO_LARGE');
  t.true(error.message.endsWith(producerFailures[0].message));
});

test('a local channel hands records over without encoding: a record with a Symbol fails nothing', async (t) => {
  const a = await startPeer(t, 'tm-a');
  const producerFailures: Error[] = [];
  const partition = a.network.createPartition(KEY, 1, 100, { producer: PRODUCER, onFailure: (error) => producerFailures.push(error) });
  const gate = a.network.createGate([location(KEY, 0, 'tm-a', a.address)]);
  const tag = Symbol('fine here');
  partition.emit(0, { tag }, undefined);
  partition.finish();
  t.deepEqual(await drain(gate), [[{ tag }]]);
  t.deepEqual(producerFailures, []);
});
