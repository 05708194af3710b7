// The producer process of bench/network.ts: a TaskManager's network stack (a NetworkEnvironment and
// its data server) and, for the baseline, a plain ws server that packs batches with msgpackr.
// Prints one JSON line {dataAddress, rawPort} once listening; then takes one JSON command per stdin
// line: {"run":"weir","key":...,"records":n} emits n records into a new partition of that key;
// {"run":"raw","records":n} sends them as packed batches to the raw client. Exits when stdin closes.
import { createInterface } from 'node:readline';
import { Packr } from 'msgpackr';
import { type WebSocket, WebSocketServer } from 'ws';
import { Logger } from '../actors/index.ts';
import { DataServer } from '../cluster/taskmanager/network/data-server.ts';
import { BATCH_RECORDS, NetworkEnvironment } from '../cluster/taskmanager/network/network-environment.ts';
import { benchRecord } from './network-records.ts';

/** The raw sender waits for the socket to drain above this (the baseline's flow control). */
const RAW_HIGH_WATER_BYTES = 1 << 20;

const server = new DataServer({ host: '127.0.0.1', log: new Logger({ level: 'warn' }) });
const network = new NetworkEnvironment((location) => location.resourceId === 'producer', server);
const dataAddress = await server.listen(network);

const raw = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
await new Promise((resolve) => raw.once('listening', resolve));
let rawClient: WebSocket | undefined;
raw.on('connection', (socket: WebSocket) => (rawClient = socket));
const rawAddress = raw.address();
const rawPort = typeof rawAddress === 'object' && rawAddress !== null ? rawAddress.port : 0;

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A producer task's loop: emit while the partition is available, wait for credit when it is not. */
async function produceWeir(key: string, records: number): Promise<void> {
  const partition = network.createPartition(key, 1, 100);
  for (let n = 0; n < records; n++) {
    if (!partition.available) await partition.whenAvailable();
    partition.emit(0, benchRecord(n), undefined);
  }
  partition.finish(); // kept until the process ends: releasing now would drop what waits for credit
}

/** The baseline: the same records, packed per batch of BATCH_RECORDS and sent on a plain ws connection. */
async function produceRaw(records: number): Promise<void> {
  const socket = rawClient as WebSocket;
  const packr = new Packr({ useRecords: true, mapsAsObjects: true, moreTypes: false });
  for (let start = 0; start < records; start += BATCH_RECORDS) {
    const batch: unknown[] = [];
    for (let n = start; n < Math.min(records, start + BATCH_RECORDS); n++) batch.push(benchRecord(n));
    socket.send(packr.pack(batch), { binary: true, compress: false });
    while (socket.bufferedAmount > RAW_HIGH_WATER_BYTES) await tick();
  }
  socket.send('end');
}

process.stdout.write(JSON.stringify({ dataAddress, rawPort }) + '\n');
const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const command = JSON.parse(line) as { run: 'weir' | 'raw'; key?: string; records: number };
  void (command.run === 'weir' ? produceWeir(command.key as string, command.records) : produceRaw(command.records));
});
commands.on('close', () => {
  void server.close().then(() => process.exit(0));
});
