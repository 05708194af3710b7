// Data plane benchmark: records/s through one remote channel between two processes (the producer in
// bench/network-peer.ts, the consumer here), batches of BATCH_RECORDS small records, with the
// baseline measured in the same run: plain ws + msgpackr pack/unpack of the same batches (what
// BASELINES.md calls "ws, two processes, pack on the fly + unpack + count"). Runs alternate so both
// see the same conditions; each process's main thread is pinned to its own core (BENCH_PIN=0 leaves
// them alone). Prints ONE JSON line; nothing here asserts a speed.
//
//   npx tsx bench/network.ts
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Packr } from 'msgpackr';
import { WebSocket } from 'ws';
import { Logger } from '../actors/index.ts';
import { DataServer } from '../cluster/taskmanager/network/data-server.ts';
import { CHANNEL_CREDITS, LocalInputGate } from '../cluster/taskmanager/network/input-gate.ts';
import { BATCH_RECORDS, NetworkEnvironment } from '../cluster/taskmanager/network/network-environment.ts';
import { encode } from '../messages/codec.ts';
import { DataFrameKind } from '../messages/data-plane.ts';
import type { ChannelLocation } from '../messages/task-manager.ts';
import { resourceId } from '../messages/ids.ts';
import { type BenchRecord, benchRecord } from './network-records.ts';

const RECORDS = 2_000_000;
const REPEATS = 5;
/** A second credit setting, to show what CHANNEL_CREDITS costs on this link (BENCH_MORE_CREDITS). */
const MORE_CREDITS = Number(process.env.BENCH_MORE_CREDITS ?? 8);
const PEER_START_TIMEOUT_MS = 20_000;
const RUN_TIMEOUT_MS = 60_000;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];

function withTimeout<T>(promise: Promise<T>, what: string, ms = RUN_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function startPeer(): Promise<{ child: ChildProcess; dataAddress: string; rawPort: number }> {
  const script = fileURLToPath(new URL('./network-peer.ts', import.meta.url));
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
  process.on('exit', () => child.kill('SIGKILL'));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<{ dataAddress: string; rawPort: number }>((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line) as { dataAddress: string; rawPort: number }));
    child.once('exit', (code) => reject(new Error(`the peer exited (code ${code}) before it was ready`)));
  });
  return { child, ...(await withTimeout(ready, 'peer start', PEER_START_TIMEOUT_MS)) };
}

function pinToSeparateCores(peerPid: number | undefined): string {
  if (process.env.BENCH_PIN === '0' || availableParallelism() < 2 || process.platform !== 'linux' || peerPid === undefined) return 'unpinned';
  try {
    execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-p', '-c', '1', String(peerPid)], { stdio: 'ignore' });
    return 'main threads on cpu 0 and cpu 1';
  } catch {
    return 'unpinned (taskset failed)';
  }
}

const { child, dataAddress, rawPort } = await startPeer();
const placement = pinToSeparateCores(child.pid);
const command = (value: object): void => void child.stdin?.write(JSON.stringify(value) + '\n');

const server = new DataServer({ host: '127.0.0.1', log: new Logger({ level: 'warn' }) });
const network = new NetworkEnvironment((location) => location.resourceId === 'consumer', server);
await server.listen(network);
let runNumber = 0;

/** One remote channel: the time from the request until the End, the consumer polling as a task does. */
async function weirRun(credits: number): Promise<number> {
  const key = `bench/producer/${runNumber++}/consumer/0`;
  const location: ChannelLocation = { partitionKey: key, subpartition: 0, resourceId: resourceId('producer'), dataAddress };
  const start = performance.now();
  let gate: LocalInputGate;
  if (credits === CHANNEL_CREDITS) gate = network.createGate([location]);
  else {
    gate = new LocalInputGate(1);
    server.connect(location, gate.inputChannels[0], credits);
  }
  command({ run: 'weir', key, records: RECORDS });
  let count = 0;
  let sum = 0;
  while (!gate.finished) {
    const element = gate.poll();
    if (element === undefined) {
      await gate.whenAvailable();
      continue;
    }
    if (element.kind !== 'batch') continue;
    const records = element.batch.records as BenchRecord[];
    for (let index = 0; index < records.length; index++) sum += records[index].count;
    count += records.length;
  }
  if (count !== RECORDS || sum < 0) throw new Error(`the weir run got ${count} records, not ${RECORDS}`);
  return RECORDS / ((performance.now() - start) / 1000);
}

const rawSocket = new WebSocket(`ws://127.0.0.1:${rawPort}`, { perMessageDeflate: false, generateMask: (mask: Buffer) => void mask.fill(0) });
rawSocket.binaryType = 'nodebuffer';
await withTimeout(new Promise((resolve) => rawSocket.once('open', resolve)), 'raw connect');
const unpackr = new Packr({ useRecords: true, mapsAsObjects: true, moreTypes: false });

/** The baseline: the same batches packed with msgpackr on a plain ws connection, unpacked and counted here. */
function rawRun(): Promise<number> {
  const start = performance.now();
  let count = 0;
  let sum = 0;
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer, isBinary: boolean): void => {
      if (isBinary) {
        const records = unpackr.unpack(data) as BenchRecord[];
        for (let index = 0; index < records.length; index++) sum += records[index].count;
        count += records.length;
        return;
      }
      rawSocket.off('message', onMessage);
      if (count !== RECORDS || sum < 0) reject(new Error(`the raw run got ${count} records, not ${RECORDS}`));
      else resolve(RECORDS / ((performance.now() - start) / 1000));
    };
    rawSocket.on('message', onMessage);
    command({ run: 'raw', records: RECORDS });
  });
}

const figures = { weir: [] as number[], weirMoreCredits: [] as number[], raw: [] as number[] };
for (let round = 0; round <= REPEATS; round++) {
  const weir = await withTimeout(weirRun(CHANNEL_CREDITS), 'a weir run');
  const raw = await withTimeout(rawRun(), 'a raw run');
  const more = await withTimeout(weirRun(MORE_CREDITS), 'a weir run with more credits');
  if (round === 0) continue; // warm-up: JIT, socket buffers
  figures.weir.push(weir);
  figures.raw.push(raw);
  figures.weirMoreCredits.push(more);
}

const sampleBatch = Array.from({ length: BATCH_RECORDS }, (_, n) => benchRecord(n));
const bytesPerRecord = encode([DataFrameKind.Batch, 0, sampleBatch]).length / BATCH_RECORDS;
const round = (value: number): number => Math.round(value);
process.stdout.write(
  JSON.stringify({
    bench: 'network',
    records: RECORDS,
    batchRecords: BATCH_RECORDS,
    bytesPerRecord: Math.round(bytesPerRecord * 10) / 10,
    placement,
    remoteChannelRecordsPerSec: round(median(figures.weir)),
    credits: CHANNEL_CREDITS,
    [`remoteChannelCredits${MORE_CREDITS}RecordsPerSec`]: round(median(figures.weirMoreCredits)),
    baselineWsMsgpackrRecordsPerSec: round(median(figures.raw)),
    ratioToBaseline: Math.round((median(figures.weir) / median(figures.raw)) * 100) / 100,
    runs: { weir: figures.weir.map(round), raw: figures.raw.map(round), [`credits${MORE_CREDITS}`]: figures.weirMoreCredits.map(round) },
  }) + '\n',
);
rawSocket.terminate();
child.stdin?.end();
await server.close();
process.exit(0);
