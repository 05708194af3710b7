// What authentication costs: one HMAC proof, and a whole connection set up over ws on loopback with
// and without a secret, for remoting (hello .. HelloAck) and for a data connection (dial .. first
// batch). It is paid once per connection: frames after the handshake are handled as before.
// Prints ONE JSON line.
//
//   npx tsx bench/handshake.ts
//   BENCH_SCALE=0.2 npx tsx bench/handshake.ts
import { ActorSystem, AuthSecret, Logger } from '../actors/index.ts';
import type { HandshakeFacts } from '../actors/remote/auth.ts';
import { DataServer } from '../cluster/taskmanager/network/data-server.ts';
import { NetworkEnvironment, partitionKey } from '../cluster/taskmanager/network/network-environment.ts';
import { resourceId } from '../messages/ids.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const PROOFS = Math.round(200_000 * SCALE);
const CONNECTIONS = Math.max(20, Math.round(300 * SCALE));
const SECRET = AuthSecret.from('a benchmark secret of some 40 bytes......');
const quiet = { level: 'off' as const };

function proofMicros(): number {
  const facts: HandshakeFacts = { plane: 'rpc', diallerNonce: new Uint8Array(32), listenerNonce: new Uint8Array(32), dialler: 'weir://a@127.0.0.1:1', listener: 'weir://b@127.0.0.1:2' };
  for (let i = 0; i < 10_000; i++) SECRET.prove('dialler', facts);
  const start = process.hrtime.bigint();
  for (let i = 0; i < PROOFS; i++) SECRET.prove('dialler', facts);
  return Number(process.hrtime.bigint() - start) / 1000 / PROOFS;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p99 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.99))];
const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** Milliseconds from dialling to an attached association, each time from a new dialling system. */
async function rpcConnectMs(secret: AuthSecret | undefined): Promise<number[]> {
  const options = secret ? { secret } : {};
  const listener = await ActorSystem.create({ name: 'listener', remote: { port: 0, ...options }, log: quiet });
  const times: number[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const dialler = await ActorSystem.create({ name: `dialler-${i}`, remote: { port: 0, ...options }, log: quiet });
    const start = performance.now();
    await dialler.connectTo(listener.address);
    times.push(performance.now() - start);
    await dialler.terminate();
  }
  await listener.terminate();
  return times;
}

/** Milliseconds from a remote channel's request (dial, handshake, request) to its first batch, each time over a new connection. */
async function dataFirstBatchMs(secret: AuthSecret | undefined): Promise<number[]> {
  const log = new Logger(quiet);
  const options = { host: '127.0.0.1', log, ...(secret ? { secret } : {}) };
  const producer = new DataServer(options);
  const producerNetwork = new NetworkEnvironment((where) => where.resourceId === 'producer', producer);
  const address = await producer.listen(producerNetwork);
  const times: number[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const key = partitionKey('job', 'map', i, 0, 'sink', 0);
    const partition = producerNetwork.createPartition(key, 1, 100);
    partition.emit(0, i, undefined);
    partition.finish();
    const consumer = new DataServer(options);
    const network = new NetworkEnvironment((where) => where.resourceId === 'consumer', consumer);
    await consumer.listen(network);
    const start = performance.now();
    const gate = network.createGate([{ partitionKey: key, subpartition: 0, resourceId: resourceId('producer'), dataAddress: address }]);
    while (gate.poll() === undefined) await gate.whenAvailable();
    times.push(performance.now() - start);
    await consumer.close();
  }
  await producer.close();
  return times;
}

const proof = proofMicros();
const rpcPlain = await rpcConnectMs(undefined);
const rpcAuth = await rpcConnectMs(SECRET);
const dataPlain = await dataFirstBatchMs(undefined);
const dataAuth = await dataFirstBatchMs(SECRET);
process.stdout.write(
  JSON.stringify({
    bench: 'handshake',
    connections: CONNECTIONS,
    proofMicros: Math.round(proof * 100) / 100,
    rpcConnectMs: { plain: { median: round(median(rpcPlain)), p99: round(p99(rpcPlain)) }, secret: { median: round(median(rpcAuth)), p99: round(p99(rpcAuth)) } },
    dataFirstBatchMs: { plain: { median: round(median(dataPlain)), p99: round(p99(dataPlain)) }, secret: { median: round(median(dataAuth)), p99: round(p99(dataAuth)) } },
  }) + '\n',
);
