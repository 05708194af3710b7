// Hostile input against a real standalone cluster: random bytes, truncated and bit-flipped frames of
// every kind (before and after a valid Hello), oversized frames, structure-aware mutations of every
// message type sent to the core actors (spec/e2e/message-fuzz.ts), thousands of connections opened
// and dropped and slow senders (spec/e2e/connection-flood.ts), at the JobManager's rpc port, a
// TaskManager's rpc port and its data port, then hostile HTTP at the REST port (rest-fuzz.ts).
// Afterwards every process is alive, every core actor answers, each process's heap is back within
// bounds and a real job finishes with the right answer. The figures are logged. Deterministic input
// from a seeded PRNG (WEIR_FUZZ_SEED overrides the seed; the seed is logged), and bounded.
import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { DATA_PATH, MAX_DATA_FRAME_BYTES, MAX_DATA_HELLO_FRAME_BYTES } from '../../cluster/taskmanager/network/data-transport.ts';
import { REMOTE_DEFAULTS } from '../../actors/index.ts';
import { WS_PATH } from '../../actors/remote/ws-transport.ts';
import { encode } from '../../messages/codec.ts';
import { DATA_PROTOCOL_VERSION, DataFrameKind } from '../../messages/data-plane.ts';
import { FrameKind, PROTOCOL_VERSION } from '../../messages/remoting.ts';
import { ForgedRef } from '../actors/remote/helpers.ts';
import { type Core, craftedMessages } from '../messages/crafted.ts';
import { MUTANT_JOB, validExamples } from '../messages/examples.ts';
import { flood, slowSenders } from './connection-flood.ts';
import { type MemoryFigures, heapBound, memoryOf } from './fuzz-memory.ts';
import { fuzzMessages, harmlessFor } from './message-fuzz.ts';
import { REPO_ROOT, eventually, isAlive, runCommand, within } from './process.ts';
import { fuzzRest } from './rest-fuzz.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const SEED = Number(process.env.WEIR_FUZZ_SEED ?? 0x5eed_f00d) >>> 0;
/** Episodes per target with a valid Hello then frames (some mutated), and without one. */
const EPISODES_AFTER_HELLO = 120;
const EPISODES_BEFORE_HELLO = 60;
/** Connections per target opened and dropped, half of them after a valid Hello. */
const DROPPED_CONNECTIONS = 100;
/** How long an episode waits for the target to close the connection before closing it itself. */
const TARGET_CLOSE_WAIT_MS = 30;
const FUZZ_ADDRESS = 'weir://fuzz@127.0.0.1:9'; // nothing listens there: a dial back is refused on loopback
const TRIVIAL_JOB = join(REPO_ROOT, 'examples/trivial-job.ts');
const SHUFFLE_JOB = fileURLToPath(new URL('./fixtures/shuffle-job.ts', import.meta.url));
const SHUFFLED_RECORDS = 10_000;
/** Hostile HTTP requests at the REST port. */
const REST_REQUESTS = 300;
/** Connections per port opened at once and dropped, and how many in all. */
const FLOOD_WAVE = 200;
const FLOOD_CONNECTIONS = 1_000;
/** Slow senders per port, a byte every SLOW_BYTE_MS, for SLOW_FOR_MS. */
const SLOW_SENDERS = 20;
const SLOW_BYTE_MS = 100;
const SLOW_FOR_MS = 2_000;
/** How long each process may take to bring its heap back within bounds after the fuzzing. */
const HEAP_SETTLE_MS = 20_000;

/** mulberry32: small, seeded, good enough to pick mutations. */
function prng(seed: number) {
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number): number => Math.floor(next() * below);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] };
}
type Random = ReturnType<typeof prng>;

const INTERESTING_BYTES = [0x00, 0x7f, 0x80, 0xc0, 0xc1, 0xc3, 0xcf, 0xd3, 0xd4, 0xd6, 0xd9, 0xdc, 0xdd, 0xde, 0xdf, 0xff];

function randomBytes(random: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => random.int(256));
}

/** One mutation of a valid frame: bit flips, a truncation, a byte set to a msgpack edge value, an insertion, a repeat. */
function mutate(random: Random, frame: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(frame);
  switch (random.int(5)) {
    case 0:
      for (let flips = 1 + random.int(4); flips > 0; flips--) bytes[random.int(bytes.length)] ^= 1 << random.int(8);
      return bytes;
    case 1:
      return bytes.subarray(0, random.int(bytes.length));
    case 2:
      bytes[random.int(bytes.length)] = random.pick(INTERESTING_BYTES);
      return bytes;
    case 3: {
      const at = random.int(bytes.length + 1);
      return Uint8Array.from([...bytes.subarray(0, at), ...randomBytes(random, 1 + random.int(8)), ...bytes.subarray(at)]);
    }
    default: {
      const from = random.int(bytes.length);
      return Uint8Array.from([...bytes, ...bytes.subarray(from)]);
    }
  }
}

/**
 * True when every actor address in the frame is a system on 127.x.x.x: a target may dial an address a
 * frame names (a hello, a ref), and this spec sends nothing beyond loopback.
 */
function namesOnlyLoopback(frame: Uint8Array): boolean {
  const text = Buffer.from(frame).toString('latin1');
  for (let at = text.indexOf('weir://'); at !== -1; at = text.indexOf('weir://', at + 1)) {
    if (!/^weir:\/\/[A-Za-z0-9_-]+@127\.\d{1,3}\.\d{1,3}\.\d{1,3}:\d{1,5}(?![\d.:[\]])/.test(text.slice(at, at + 64))) return false;
  }
  return true;
}

const hello = { version: PROTOCOL_VERSION, address: FUZZ_ADDRESS, uid: 'fuzz-uid' };
const fuzzPing = (n: number) => ({ type: 'FuzzPing', n, replyTo: new ForgedRef(`${FUZZ_ADDRESS}/user/fuzz`) });

/** A valid frame of every rpc kind; messages go to no actor, in a type no one registered. */
const RPC_FRAMES: readonly Uint8Array[] = [
  encode([FrameKind.Hello, hello]),
  encode([FrameKind.HelloAck, hello]),
  encode([FrameKind.Reject, { code: 'DUPLICATE', reason: 'fuzz' }]),
  encode([FrameKind.Envelopes, [['/user/nobody', '', null, fuzzPing(1)]]]),
  encode([FrameKind.Envelopes, [1, 2, 3].map((n) => ['/user/nobody', '', '/user/fuzz', fuzzPing(n)])]),
  encode([FrameKind.Heartbeat]),
  encode([FrameKind.HeartbeatAck]),
  encode([FrameKind.Watch, '/user/nobody', 'remote:fuzz']),
  encode([FrameKind.Unwatch, '/user/nobody', 'remote:fuzz']),
  encode([FrameKind.Terminated, '/user/fuzz', 'fuzz']),
  encode([FrameKind.TraceSubscribe, 1, { types: ['FuzzPing'], path: '/user/nobody' }]),
  encode([FrameKind.TraceUnsubscribe, 1]),
  encode([FrameKind.TraceEvents, 1, [{ at: 1, to: '/user/fuzz', type: 'FuzzPing', remote: true, direction: 'in', system: 'fuzz' }]]),
];
const RPC_HELLO = RPC_FRAMES[0];
const RPC_LIMITS = { maxFrameBytes: REMOTE_DEFAULTS.maxFrameBytes, maxHelloFrameBytes: REMOTE_DEFAULTS.maxHandshakeFrameBytes };

/** A valid frame of every data kind, for a partition of a job that does not exist. */
const DATA_FRAMES: readonly Uint8Array[] = [
  encode([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, null, null]),
  encode([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, '127.0.0.1:9', null]),
  encode([DataFrameKind.PartitionRequest, 0, 'fuzz-job/a/0/b/0', 0, 2]),
  encode([DataFrameKind.Batch, 0, [1, 2, 3].map((n) => ({ n, word: `w${n}` }))]),
  encode([DataFrameKind.End, 0]),
  encode([DataFrameKind.Credit, 0, 3]),
  encode([DataFrameKind.Failed, 0, 'PARTITION_RELEASED', 'fuzz']),
];
const DATA_HELLO = DATA_FRAMES[0];

interface Target {
  readonly name: string;
  readonly url: string;
  readonly frames: readonly Uint8Array[];
  readonly hello: Uint8Array;
  readonly maxFrameBytes: number;
  /** The limit on an accepted connection's first frame. */
  readonly maxHelloFrameBytes: number;
}

interface Figures {
  frames: number;
  connections: number;
  /** Connections the target closed on its own (a bad frame, a bad first frame). */
  closedByTarget: number;
}

/** A frame from `random`: a valid one, a mutated one, or random bytes; re-drawn until it names only loopback. */
function drawFrame(random: Random, target: Target, mutated: boolean): Uint8Array {
  for (;;) {
    const frame = !mutated ? random.pick(target.frames) : random.next() < 0.15 ? randomBytes(random, random.int(200)) : mutate(random, random.pick(target.frames));
    if (namesOnlyLoopback(frame)) return frame;
  }
}

/** Opens a connection, sends `frames` (stopping if the target closes it), closes it, and waits (bounded) for the close. */
async function episode(target: Target, frames: readonly (Uint8Array | string)[], figures: Figures, drop = false): Promise<void> {
  const socket = new WebSocket(target.url, { perMessageDeflate: false, maxPayload: 1 << 20 });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const opened = await within(
    new Promise<boolean>((resolve) => {
      socket.once('open', () => resolve(true));
      socket.once('close', () => resolve(false));
    }),
    5_000,
    `a connection to ${target.name}`,
  );
  if (!opened) throw new Error(`${target.name} refused a connection`);
  figures.connections++;
  for (const frame of frames) {
    if (socket.readyState !== WebSocket.OPEN) break;
    socket.send(frame, { binary: typeof frame !== 'string' });
    figures.frames++;
  }
  // Time for the target to handle what was sent (and close the connection over a bad frame).
  const closedByTarget = drop ? false : await within(closed, TARGET_CLOSE_WAIT_MS, 'a close').then(() => true, () => false);
  if (closedByTarget) figures.closedByTarget++;
  else if (drop) socket.terminate();
  else socket.close();
  await within(closed, 5_000, `${target.name} to close a fuzzed connection`).catch(() => socket.terminate());
}

async function fuzz(random: Random, target: Target, figures: Figures): Promise<void> {
  for (let index = 0; index < EPISODES_AFTER_HELLO; index++) {
    const frames = Array.from({ length: 1 + random.int(8) }, () => drawFrame(random, target, random.next() < 0.5));
    await episode(target, [target.hello, ...frames], figures);
  }
  for (let index = 0; index < EPISODES_BEFORE_HELLO; index++) {
    const first = random.next() < 0.1 ? 'not binary' : drawFrame(random, target, true);
    await episode(target, [first, ...Array.from({ length: random.int(3) }, () => drawFrame(random, target, random.next() < 0.5))], figures);
  }
  const oversized = new Uint8Array(target.maxFrameBytes + 1);
  await episode(target, [oversized], figures);
  await episode(target, [randomBytes(random, target.maxHelloFrameBytes + 1)], figures);
  await episode(target, [target.hello, oversized], figures);
  for (let index = 0; index < DROPPED_CONNECTIONS; index++) await episode(target, index % 2 === 0 ? [target.hello] : [], figures, random.next() < 0.5);
}

/** `<process>: <what it died of>` for each process whose pid file names a process no longer alive. */
function deaths(logDir: string): string[] {
  return readdirSync(logDir)
    .filter((file) => file.endsWith('.pid'))
    .filter((file) => !isAlive(Number(readFileSync(join(logDir, file), 'utf8').trim())))
    .map((file) => {
      const name = file.slice(0, -'.pid'.length);
      // stderr: JSON log lines, then, from a crash, the uncaught exception Node printed
      const stderr = readFileSync(join(logDir, `${name}.log`), 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('{'));
      return `${name}: ${stderr.find((line) => /^[A-Za-z]*(Error|Exception)\b/.test(line)) ?? stderr.slice(-3).join(' / ')}`;
    });
}

function malformedLogged(logDir: string, role: string): number {
  return readdirSync(logDir)
    .filter((file) => file.startsWith(`weir-${role}`) && file.endsWith('.log'))
    .reduce((count, file) => count + readFileSync(join(logDir, file), 'utf8').split('\n').filter((line) => line.includes('"MALFORMED_FRAME"')).length, 0);
}

test('no frame or connection takes down a process of a standalone cluster: after fuzzing, a job still runs right', async (t) => {
  const { address, root, logDir, env, client, pids, taskManagers, restUrl } = await startStandaloneCluster(t, { name: 'weir-e2e-fuzz' });
  const [taskManager] = taskManagers();
  if (!taskManager) return t.fail('no TaskManager ready line');
  const tmRpc = /@([^/]+)$/.exec(taskManager.address)?.[1];
  const targets: Target[] = [
    { name: 'the JobManager rpc port', url: `ws://${address}${WS_PATH}`, frames: RPC_FRAMES, hello: RPC_HELLO, ...RPC_LIMITS },
    { name: `TaskManager ${taskManager.id} rpc port`, url: `ws://${tmRpc}${WS_PATH}`, frames: RPC_FRAMES, hello: RPC_HELLO, ...RPC_LIMITS },
    { name: `TaskManager ${taskManager.id} data port`, url: `ws://${taskManager.dataAddress}${DATA_PATH}`, frames: DATA_FRAMES, hello: DATA_HELLO, maxFrameBytes: MAX_DATA_FRAME_BYTES, maxHelloFrameBytes: MAX_DATA_HELLO_FRAME_BYTES },
  ];
  const random = prng(SEED);
  const before = await memoryOf(restUrl, client, pids());
  const started = Date.now();
  const figures: Figures = { frames: 0, connections: 0, closedByTarget: 0 };
  const messages = { frames: 0, invalid: 0, foreign: 0 };
  const floods: string[] = [];
  let aborted: unknown;
  try {
    for (const target of targets) await fuzz(random, target, figures);
    // Structure-aware: every message type's mutations, and other protocols' requests, to the core actors.
    const crafted = craftedMessages(validExamples(new ForgedRef(`${FUZZ_ADDRESS}/user/sink`) as never), SEED);
    const jobManagerSide: Partial<Record<Core, string>> = { dispatcher: '/user/dispatcher', resourcemanager: '/user/resourcemanager', jobmanager: `/user/dispatcher/job-${MUTANT_JOB}` };
    const atJobManager = Object.entries(jobManagerSide).flatMap(([core, path]) => harmlessFor(crafted, core as Core).map((item) => [path, item] as const));
    await fuzzMessages(targets[0].url, RPC_HELLO, atJobManager, messages);
    await fuzzMessages(targets[1].url, RPC_HELLO, harmlessFor(crafted, 'taskmanager').map((item) => ['/user/taskmanager', item] as const), messages);
    // Thousands of connections, then slow senders at every port at once while a valid peer still gets through.
    for (const target of targets) {
      const flooded = await flood(target.url, FLOOD_CONNECTIONS, FLOOD_WAVE, target.hello, target.name);
      floods.push(`${target.name}: ${flooded.opened} of ${flooded.attempted} opened`);
    }
    const slow = targets.map((target) => slowSenders(new URL(target.url).host, new URL(target.url).pathname, SLOW_SENDERS, SLOW_BYTE_MS, SLOW_FOR_MS));
    for (const target of targets) await episode(target, [target.hello, ...target.frames.slice(0, 3)], figures);
    floods.push(`slow senders closed by the ports: ${(await Promise.all(slow)).join(', ')} of ${SLOW_SENDERS} each`);
  } catch (error) {
    aborted = error; // a target stopped answering: what killed it says more, below
  }
  t.log(
    `fuzz seed 0x${SEED.toString(16)}: ${figures.frames} frames in ${figures.connections} connections over 3 ports ` +
      `(${figures.closedByTarget} closed by the target); ${messages.frames} frames of crafted envelopes (${messages.invalid} invalid messages, ` +
      `${messages.foreign} of foreign protocols); floods: ${floods.join('; ')}; in ${Date.now() - started} ms`,
  );

  // The REST port: hostile HTTP, raw bytes, cut-off and slow requests.
  const rest = await fuzzRest(random, restUrl, REST_REQUESTS);
  t.log(`REST: ${rest.requests} requests (${JSON.stringify(rest.statuses)}) and ${rest.rawConnections} raw connections`);
  t.deepEqual(rest.findings, [], 'every hostile request got a clean 2xx-4xx');
  const overview = await fetch(`${restUrl}/overview`, { signal: AbortSignal.timeout(10_000) });
  t.is(overview.status, 200, 'the REST API still answers');

  t.is(pids().length, 3);
  t.deepEqual(deaths(logDir), [], 'every process is alive');
  if (aborted !== undefined) return t.fail(String(aborted));
  t.true(malformedLogged(logDir, 'jobmanager') > 0, 'the JobManager logged the malformed frames it refused');
  t.true(malformedLogged(logDir, 'taskmanager') > 0, 'the TaskManager logged the malformed frames it refused');
  t.is((await client.clusterInfo()).taskManagers, 2, 'both TaskManagers are still registered');
  const answering = await client.taskManager(`taskmanager-${taskManager.id}`); // its resource id
  t.not(answering.metrics, null, `TaskManager ${taskManager.id} answers: ${answering.unavailable ?? ''}`);

  // Each process's heap comes back within bounds (a GC may take a while on an idle process).
  let after: MemoryFigures = before;
  await eventually(async () => {
    after = await memoryOf(restUrl, client, pids());
    return after.heapUsed.every((used, index) => used <= heapBound(before.heapUsed[index]));
  }, HEAP_SETTLE_MS, 'every heap back within bounds').catch(() => undefined);
  t.log(`heap used before/after (MB): ${before.names.map((name, index) => `${name} ${mb(before.heapUsed[index])}/${mb(after.heapUsed[index])}`).join(', ')}; RSS after (MB): ${after.rss.map(mb).join(', ')}`);
  after.heapUsed.forEach((used, index) => t.true(used <= heapBound(before.heapUsed[index]), `${before.names[index]}: heap ${mb(used)} MB after, ${mb(before.heapUsed[index])} MB before`));

  // A real job through the CLI, as a user runs one, still finishes with the right answer.
  const trivialOut = join(root, 'out-trivial');
  const run = await runCommand(process.execPath, [join(REPO_ROOT, 'bin/weir'), 'run', TRIVIAL_JOB, '-p', '2', '-m', address, '--', trivialOut], env, 30_000);
  t.is(run.code, 0, `weir run failed: ${run.stderr}`);
  t.regex(run.stdout, /FINISHED/);
  t.deepEqual(numbersIn(trivialOut), Array.from({ length: 1000 }, (_, i) => (i + 1) * (i + 1)));

  // And one whose records cross between the TaskManagers, through the fuzzed data port.
  const shuffleOut = join(root, 'out-shuffle');
  const shuffled = await client.submit(SHUFFLE_JOB, { parallelism: 2, args: [shuffleOut, String(SHUFFLED_RECORDS)] });
  t.is((await within(shuffled.result(), 30_000, 'the shuffle to finish')).status, 'FINISHED');
  t.deepEqual(numbersIn(shuffleOut), Array.from({ length: SHUFFLED_RECORDS }, (_, i) => (i + 1) * 2 + 1));
});

const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);

/** Every number in the part files of `directory`, in ascending order. */
function numbersIn(directory: string): number[] {
  return readdirSync(directory)
    .flatMap((file) => readFileSync(join(directory, file), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map(Number)
    .sort((a, b) => a - b);
}
