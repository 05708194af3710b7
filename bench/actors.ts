// Actor runtime benchmark: local tell and ping-pong, remote round trip and one-way throughput to a
// second Node process (bench/actors-peer.ts) over ws on 127.0.0.1, with the raw baselines measured
// in the same run. Prints ONE JSON line of figures on stdout; nothing here asserts a speed.
//
// Placement: on this VM a loopback round trip costs ~26 µs when both processes share a core and
// ~80 µs when they sit on different cores, and Linux picks either from run to run. So the remote
// part pins each process's main thread to its own core (taskset; BENCH_PIN=0 leaves them alone),
// the realistic case for two busy processes, and interleaves raw and actor round trips in blocks
// so both see the same conditions.
//
//   npx tsx bench/actors.ts
//   BENCH_PEER_NODE_ARGS="--cpu-prof --cpu-prof-dir=.tmp/prof" node --cpu-prof --import tsx bench/actors.ts
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { type ActorRef, ActorSystem, Behaviors } from '../actors/index.ts';
import './actors-protocol.ts'; // registers the message types (the import below is types only)
import type { CountDone, Data, EchoMsg, PeerReady, Pong, SinkMsg } from './actors-protocol.ts';

/** Sizes. Throughputs are the median of REPEATS runs after one warm-up run; round-trip percentiles pool all blocks. */
const LOCAL_TELLS = 2_000_000;
const LOCAL_PING_PONG_MESSAGES = 1_000_000;
const MICROTASK_HOPS = 2_000_000;
const REPEATS = 3;
const ROUND_TRIP_WARMUP = 3_000;
/** Raw ws and actor round trips alternate in this many blocks of ROUND_TRIPS / BLOCKS each. */
const ROUND_TRIP_BLOCKS = 5;
const ROUND_TRIPS = 20_000;
const ONE_WAY_MESSAGES = 1_000_000;
/** Tells per macrotask in the one-way run; the loop yields between chunks so the socket drains. */
const ONE_WAY_CHUNK = 10_000;
const PEER_START_TIMEOUT_MS = 20_000;
const STEP_TIMEOUT_MS = 20_000;
const WHOLE_RUN_TIMEOUT_MS = 60_000;

const TARGETS = { localTell: 5e6, remoteRoundTripP50Us: 150, remoteOneWay: 1e6 } as const;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
const percentile = (sorted: Float64Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function withTimeout<T>(promise: Promise<T>, what: string, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function repeat(measure: () => Promise<number>): Promise<number> {
  await measure(); // warm-up: JIT, mailbox growth
  const figures: number[] = [];
  for (let i = 0; i < REPEATS; i++) figures.push(await measure());
  return median(figures);
}

// --- baselines in this process ---------------------------------------------------------------

/** Two functions handing a counter back and forth through queueMicrotask. */
function microtaskPingPong(hops: number): Promise<number> {
  return new Promise((resolve) => {
    let left = hops;
    const start = performance.now();
    const a = (): void => {
      if (--left === 0) resolve(hops / ((performance.now() - start) / 1000));
      else queueMicrotask(b);
    };
    const b = (): void => {
      if (--left === 0) resolve(hops / ((performance.now() - start) / 1000));
      else queueMicrotask(a);
    };
    queueMicrotask(a);
  });
}

// --- local actors ----------------------------------------------------------------------------

type CounterMsg = { type: 'Count' };
const COUNT: CounterMsg = { type: 'Count' };

/** Tells `n` messages into one actor from a plain loop; the time runs until it handled the last. */
async function localTell(system: ActorSystem, n: number, run: number): Promise<number> {
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let seen = 0;
  const counter = system.spawn(
    Behaviors.receiveMessage<CounterMsg>(() => {
      if (++seen === n) done();
      return Behaviors.same;
    }),
    `counter-${run}`,
  );
  await tick(); // let the actor start
  const start = performance.now();
  for (let i = 0; i < n; i++) counter.tell(COUNT);
  await withTimeout(finished, 'local tell');
  return n / ((performance.now() - start) / 1000);
}

type Ball = { type: 'Ball'; left: number; replyTo: ActorRef<Ball> };

/** Two actors bounce one message `messages` times in all. */
async function localPingPong(system: ActorSystem, messages: number, run: number): Promise<number> {
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const bouncer = Behaviors.setup<Ball>((ctx) =>
    Behaviors.receiveMessage<Ball>((ball) => {
      if (ball.left === 0) done();
      else ball.replyTo.tell({ type: 'Ball', left: ball.left - 1, replyTo: ctx.self });
      return Behaviors.same;
    }),
  );
  const ping = system.spawn(bouncer, `ping-${run}`);
  const pong = system.spawn(bouncer, `pong-${run}`);
  await tick();
  const start = performance.now();
  ping.tell({ type: 'Ball', left: messages - 1, replyTo: pong });
  await withTimeout(finished, 'local ping-pong');
  return messages / ((performance.now() - start) / 1000);
}

// --- the peer process ------------------------------------------------------------------------

async function startPeer(): Promise<{ child: ChildProcess; ready: PeerReady }> {
  const script = fileURLToPath(new URL('./actors-peer.ts', import.meta.url));
  const extra = (process.env.BENCH_PEER_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  // From the project root, so that `--import tsx` resolves whatever the caller's directory.
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', script], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<PeerReady>((resolve, reject) => {
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line) as PeerReady);
      } catch (error) {
        reject(new Error(`the peer printed ${JSON.stringify(line)} instead of its address`, { cause: error }));
      }
    });
    child.once('exit', (code) => reject(new Error(`the peer exited (code ${code}) before it was ready`)));
  });
  return { child, ready: await withTimeout(ready, 'peer start', PEER_START_TIMEOUT_MS) };
}

async function stopPeer(child: ChildProcess, sink: ActorRef<SinkMsg> | undefined): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  sink?.tell({ type: 'Shutdown' });
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

// --- remote ----------------------------------------------------------------------------------

/**
 * `count` round trips between a fresh local actor and the peer's echo actor, one message in flight;
 * microseconds per round trip go to `samples` from `offset` on.
 */
async function actorRoundTrips(system: ActorSystem, echo: ActorRef<EchoMsg>, count: number, samples: Float64Array, offset: number, run: number): Promise<void> {
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let sentAt = 0;
  let seq = 0;
  system.spawn(
    Behaviors.setup<Pong>((ctx) => {
      sentAt = performance.now();
      echo.tell({ type: 'Ping', seq, replyTo: ctx.self });
      return Behaviors.receiveMessage<Pong>(() => {
        samples[offset + seq] = (performance.now() - sentAt) * 1000;
        if (++seq === count) {
          done();
          return Behaviors.stopped;
        }
        sentAt = performance.now();
        echo.tell({ type: 'Ping', seq, replyTo: ctx.self });
        return Behaviors.same;
      });
    }),
    `pinger-${run}`,
  );
  await withTimeout(finished, 'actor round trips');
}

/** A plain ws client of the peer's plain ws echo server: the floor under the actor round trip. */
class RawWsClient {
  private readonly payload = Buffer.alloc(64, 7);
  private onMessage: () => void = () => {};

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', () => this.onMessage());
  }

  static async connect(port: number): Promise<RawWsClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    await withTimeout(new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject)), 'raw ws connect');
    return new RawWsClient(socket);
  }

  /** `count` echoes of one 64-byte frame, one in flight; microseconds each go to `samples` from `offset`. */
  async roundTrips(count: number, samples: Float64Array, offset: number): Promise<void> {
    let seq = 0;
    let sentAt = 0;
    await withTimeout(
      new Promise<void>((resolve) => {
        this.onMessage = () => {
          samples[offset + seq] = (performance.now() - sentAt) * 1000;
          if (++seq === count) return resolve();
          sentAt = performance.now();
          this.socket.send(this.payload, { binary: true });
        };
        sentAt = performance.now();
        this.socket.send(this.payload, { binary: true });
      }),
      'raw ws round trips',
    );
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Raw ws and actor round trips in alternating blocks, after a warm-up of each; both sorted. */
async function roundTrips(system: ActorSystem, echo: ActorRef<EchoMsg>, rawWsPort: number): Promise<{ raw: Float64Array; actor: Float64Array }> {
  const client = await RawWsClient.connect(rawWsPort);
  try {
    const warmup = new Float64Array(ROUND_TRIP_WARMUP);
    await client.roundTrips(ROUND_TRIP_WARMUP, warmup, 0);
    await actorRoundTrips(system, echo, ROUND_TRIP_WARMUP, warmup, 0, -1);
    const perBlock = Math.floor(ROUND_TRIPS / ROUND_TRIP_BLOCKS);
    const raw = new Float64Array(perBlock * ROUND_TRIP_BLOCKS);
    const actor = new Float64Array(perBlock * ROUND_TRIP_BLOCKS);
    for (let block = 0; block < ROUND_TRIP_BLOCKS; block++) {
      await client.roundTrips(perBlock, raw, block * perBlock);
      await actorRoundTrips(system, echo, perBlock, actor, block * perBlock, block);
    }
    return { raw: raw.sort(), actor: actor.sort() };
  } finally {
    client.close();
  }
}

/**
 * Pins this process's main thread to CPU 0 and the peer's to CPU 1 (see the header). Returns how the
 * two were placed, for the report.
 */
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

/** `n` Data messages told one-way to the peer's sink; the time runs until the sink counted them all. */
async function remoteOneWay(system: ActorSystem, sink: ActorRef<SinkMsg>, n: number, run: number): Promise<number> {
  let done!: (msg: CountDone) => void;
  const finished = new Promise<CountDone>((resolve) => (done = resolve));
  const probe = system.spawn(
    Behaviors.receiveMessage<CountDone>((msg) => {
      done(msg);
      return Behaviors.stopped;
    }),
    `count-probe-${run}`,
  );
  sink.tell({ type: 'StartCount', expected: n, replyTo: probe });
  const start = performance.now();
  for (let sent = 0; sent < n; ) {
    const end = Math.min(n, sent + ONE_WAY_CHUNK);
    for (; sent < end; sent++) sink.tell({ type: 'Data', n: sent } satisfies Data);
    await tick();
  }
  const result = await withTimeout(finished, `remote one-way (dead letters so far: ${system.deadLetterCount})`);
  if (result.count !== n) throw new Error(`the sink counted ${result.count} of ${n}`);
  return n / ((performance.now() - start) / 1000);
}

// --- main ------------------------------------------------------------------------------------

async function main(): Promise<Record<string, unknown>> {
  const system = await ActorSystem.create({ name: 'bench', remote: { port: 0 }, log: { level: 'warn' } });
  let peer: ChildProcess | undefined;
  let sink: ActorRef<SinkMsg> | undefined;
  const killPeer = (): void => {
    peer?.kill('SIGKILL');
  };
  process.once('exit', killPeer);
  try {
    const rawQueueMicrotaskPingPongPerSec = await repeat(() => microtaskPingPong(MICROTASK_HOPS));
    let run = 0;
    const localTellPerSec = await repeat(() => localTell(system, LOCAL_TELLS, run++));
    const localPingPongPerSec = await repeat(() => localPingPong(system, LOCAL_PING_PONG_MESSAGES, run++));

    const started = await startPeer();
    peer = started.child;
    const { ready } = started;
    const echo = system.resolve<EchoMsg>(ready.echoPath);
    sink = system.resolve<SinkMsg>(ready.sinkPath);

    const placement = pinToSeparateCores(peer.pid);

    const { raw, actor: remote } = await roundTrips(system, echo, ready.rawWsPort);
    const oneWaySink = sink;
    const remoteOneWayPerSec = await repeat(() => remoteOneWay(system, oneWaySink, ONE_WAY_MESSAGES, run++));

    const figures = {
      localTellPerSec: Math.round(localTellPerSec),
      localPingPongPerSec: Math.round(localPingPongPerSec),
      remoteRoundTripP50Us: Math.round(percentile(remote, 0.5)),
      remoteRoundTripP99Us: Math.round(percentile(remote, 0.99)),
      remoteOneWayPerSec: Math.round(remoteOneWayPerSec),
      rawQueueMicrotaskPingPongPerSec: Math.round(rawQueueMicrotaskPingPongPerSec),
      rawWsRoundTripP50Us: Math.round(percentile(raw, 0.5)),
      rawWsRoundTripP99Us: Math.round(percentile(raw, 0.99)),
      targets: TARGETS,
      placement,
    };
    return {
      ...figures,
      met: {
        localTell: figures.localTellPerSec >= TARGETS.localTell,
        remoteRoundTripP50Us: figures.remoteRoundTripP50Us <= TARGETS.remoteRoundTripP50Us,
        remoteOneWay: figures.remoteOneWayPerSec >= TARGETS.remoteOneWay,
      },
    };
  } finally {
    if (peer) await stopPeer(peer, sink);
    process.off('exit', killPeer);
    await system.terminate();
  }
}

const guard = setTimeout(() => {
  process.stderr.write(`bench/actors: gave up after ${WHOLE_RUN_TIMEOUT_MS} ms\n`);
  process.exit(1);
}, WHOLE_RUN_TIMEOUT_MS);
guard.unref();

try {
  const figures = await main();
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
} catch (error) {
  process.stderr.write(`bench/actors failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
