// Helpers for the remoting specs: bounded waits, a virtual clock, systems that terminate with the test,
// probe actors, captured logs, a Transport wrapper that counts (and cuts) connections and frames, and a
// raw peer that writes whatever bytes a spec wants.
import type { ExecutionContext } from 'ava';
import { type ActorRef, ActorSystem, Behaviors, type DeadLetter, type MemoryNetwork, type Cancellable, type RemoteOptions, type Scheduler, type Terminated, WsTransport, parseActorPath } from '../../../actors/index.ts';
import { BaseRef } from '../../../actors/actor-ref.ts';
import type { Connection, FrameLimits, Transport } from '../../../actors/remote/transport.ts';
import type { LogFields } from '../../../actors/log.ts';
import { decode, encode, registerMessages } from '../../../messages/codec.ts';
import { FrameKind, PROTOCOL_VERSION } from '../../../messages/remoting.ts';

// --- test protocol ------------------------------------------------------------------------------

/** Any spec message: a Ping carries a number and maybe a reply ref; a Pong answers it. */
export interface Ping {
  readonly type: 'Ping';
  readonly n: number;
  readonly replyTo?: ActorRef<Pong>;
}
export interface Pong {
  readonly type: 'Pong';
  readonly n: number;
  /** The path of the actor that answered, so a spec can tell incarnations apart. */
  readonly from: string;
}
/** Hands over a ref, so the receiver holds a ref that carries the sender's incarnation uid. */
export interface Introduce {
  readonly type: 'Introduce';
  readonly ref: ActorRef<Ping>;
}
registerMessages(['Ping', 'Pong', 'Introduce']);

export const ping = (n: number, replyTo?: ActorRef<Pong>): Ping => (replyTo ? { type: 'Ping', n, replyTo } : { type: 'Ping', n });

// --- bounded waits ------------------------------------------------------------------------------

/** Resolves with `promise`, or rejects naming `what` once `ms` have passed. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `condition` every 5 ms; rejects naming `what` after `ms`. */
export async function eventually(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// --- a clock the spec moves -----------------------------------------------------------------------

/**
 * Virtual time for heartbeats and failure detection, so that a busy machine cannot make a peer look
 * silent. `advance` moves time in steps and lets the memory transport deliver between steps.
 */
export class ManualClock implements Scheduler {
  private time = 1_000_000;
  /** Pending timers, kept in firing order (by time, then by scheduling order). */
  private timers: Array<{ readonly at: number; readonly task: () => void }> = [];

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, task: () => void): Cancellable {
    const timer = { at: this.time + Math.max(0, delayMs), task };
    const index = this.timers.findIndex((other) => other.at > timer.at);
    this.timers.splice(index === -1 ? this.timers.length : index, 0, timer);
    return { cancel: () => (this.timers = this.timers.filter((other) => other !== timer)) };
  }

  /** Moves time forward by `ms` in `stepMs` steps, running due timers and letting frames flow after each. */
  async advance(ms: number, stepMs = 10): Promise<void> {
    const end = this.time + ms;
    while (this.time < end) {
      this.time = Math.min(end, this.time + stepMs);
      while (this.timers.length > 0 && this.timers[0].at <= this.time) (this.timers.shift() as { task: () => void }).task();
      for (let turn = 0; turn < 4; turn++) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

// --- systems ------------------------------------------------------------------------------------

export interface CapturedLog {
  readonly records: LogFields[];
  /** Records whose `code` is `code`. */
  withCode(code: string): LogFields[];
}

export function captureLog(): CapturedLog & { readonly sink: (line: string, record: LogFields) => void } {
  const records: LogFields[] = [];
  return {
    records,
    sink: (_line, record) => records.push(record),
    withCode: (code) => records.filter((record) => record.code === code),
  };
}

export interface StartedSystem {
  readonly system: ActorSystem;
  readonly log: CapturedLog;
  readonly deadLetters: DeadLetter[];
}

/** Starts a listening system that terminates when the test ends; logs are captured, not printed. */
export async function startSystem(t: ExecutionContext, name: string, remote: RemoteOptions, scheduler?: Scheduler): Promise<StartedSystem> {
  const log = captureLog();
  const system = await ActorSystem.create({ name, remote, scheduler, log: { level: 'debug', sink: log.sink } });
  const deadLetters: DeadLetter[] = [];
  system.deadLetters$.subscribe((letter) => deadLetters.push(letter));
  t.teardown(() => system.terminate());
  return { system, log, deadLetters };
}

/** Remote options for a fast in-memory pair. */
export function memoryRemote(network: MemoryNetwork, extra: RemoteOptions = {}): RemoteOptions {
  return { transport: network.transport(), ...extra };
}

// --- probe ---------------------------------------------------------------------------------------

/** Things that arrive over time; specs take them in order with bounded waits. */
export class Recorder<T> {
  readonly items: T[] = [];
  private taken = 0;
  private waiters: Array<() => void> = [];

  push(item: T): void {
    this.items.push(item);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The next item not yet taken by `next`. */
  async next(ms: number, what: string): Promise<T> {
    await this.waitFor(this.taken + 1, ms, what);
    return this.items[this.taken++];
  }

  /** Waits until `count` items have arrived in total. */
  async waitFor(count: number, ms: number, what: string): Promise<T[]> {
    await within(this.arrived(count), ms, what);
    return this.items;
  }

  private arrived(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.items.length >= count) resolve();
        else this.waiters.push(check);
      };
      check();
    });
  }
}

/** An actor that records what it receives. */
export interface Probe<M> {
  readonly ref: ActorRef<M>;
  readonly received: M[];
  next(ms: number, what?: string): Promise<M>;
  waitFor(count: number, ms: number, what?: string): Promise<M[]>;
}

export function spawnProbe<M>(system: ActorSystem, name: string): Probe<M> {
  const recorder = new Recorder<M>();
  const ref = system.spawn(
    Behaviors.receiveMessage<M>((msg) => {
      recorder.push(msg);
      return Behaviors.same;
    }),
    name,
  );
  return {
    ref,
    received: recorder.items,
    next: (ms, what = `the next message at ${ref.path}`) => recorder.next(ms, what),
    waitFor: (count, ms, what = `${count} messages at ${ref.path}`) => recorder.waitFor(count, ms, what),
  };
}

type WatcherCommand = { readonly type: 'Watch'; readonly ref: ActorRef<never> } | { readonly type: 'Unwatch'; readonly ref: ActorRef<never>; readonly done: () => void };

/** An actor that watches refs on command and records the Terminated signals it gets. */
export interface WatcherProbe {
  readonly terminated: Recorder<Terminated>;
  watch(ref: ActorRef<never>): void;
  /** Resolves once the actor has unwatched `ref`. */
  unwatch(ref: ActorRef<never>): Promise<void>;
}

export function spawnWatcher(system: ActorSystem, name: string): WatcherProbe {
  const terminated = new Recorder<Terminated>();
  const ref = system.spawn(
    Behaviors.receive<WatcherCommand>(
      (ctx, msg) => {
        if (msg.type === 'Watch') ctx.watch(msg.ref);
        else {
          ctx.unwatch(msg.ref);
          msg.done();
        }
        return Behaviors.same;
      },
      (_ctx, signal) => {
        if (signal.signal === 'Terminated') terminated.push(signal);
        return Behaviors.same;
      },
    ),
    name,
  );
  return {
    terminated,
    watch: (target) => ref.tell({ type: 'Watch', ref: target }),
    unwatch: (target) => within(new Promise<void>((done) => ref.tell({ type: 'Unwatch', ref: target, done })), 2000, `unwatch of ${target.path}`),
  };
}

/** An actor that ignores Pings, except that a Ping with n < 0 stops it. */
export function spawnStoppable(system: ActorSystem, name: string): ActorRef<Ping> {
  return system.spawn(
    Behaviors.receiveMessage<Ping>((msg) => (msg.n < 0 ? Behaviors.stopped : Behaviors.same)),
    name,
  );
}

let linkUps = 0;

/**
 * Returns once `from` has a working connection to `to` (a Ping went through). Specs whose point is
 * the order of frames on a live link call it first: while a link is still coming up, control frames
 * queued before it wait behind every envelope queued meanwhile.
 */
export async function linkUp(from: ActorSystem, to: ActorSystem): Promise<void> {
  const probe = spawnProbe<Ping>(to, `link-up-${linkUps++}`);
  from.resolve<Ping>(probe.ref.path).tell(ping(0));
  await probe.next(3000, `the link from ${from.address} to ${to.address}`);
}

/** An actor that answers every Ping with a Pong naming its own path. */
export function spawnPonger(system: ActorSystem, name: string): ActorRef<Ping> {
  return system.spawn(
    Behaviors.receive<Ping>((ctx, msg) => {
      msg.replyTo?.tell({ type: 'Pong', n: msg.n, from: ctx.self.path });
      return Behaviors.same;
    }),
    name,
  );
}

// --- counting transport -------------------------------------------------------------------------

/** Wraps a transport and counts what goes through it: connections made or accepted, frames sent. */
export class CountingTransport implements Transport {
  /** Connections this side dialled. */
  dialled = 0;
  /** Connections this side accepted. */
  accepted = 0;
  /** Connections dialled or accepted that have not closed yet. */
  open = 0;
  /** The kind of every frame sent, in order. */
  readonly kinds: number[] = [];
  /** Number of envelopes in each Envelopes frame sent, in order. */
  readonly envelopeFrames: number[] = [];
  /** While true, every frame this side sends is silently lost (a crashed or cut-off process). */
  muted = false;
  private readonly live = new Set<Connection>();

  constructor(private readonly inner: Transport) {}

  listen(host: string, port: number, limits: FrameLimits, onConnection: (connection: Connection) => void): ReturnType<Transport['listen']> {
    return this.inner.listen(host, port, limits, (connection) => {
      this.accepted++;
      onConnection(this.wrap(connection));
    });
  }

  async connect(host: string, port: number, maxFrameBytes: number, maxHandshakeFrameBytes?: number): Promise<Connection> {
    const connection = await this.inner.connect(host, port, maxFrameBytes, maxHandshakeFrameBytes);
    this.dialled++;
    return this.wrap(connection);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Frames of `kind` sent so far. */
  sent(kind: number): number {
    return this.kinds.filter((sentKind) => sentKind === kind).length;
  }

  /** Closes every open connection from this side, as a broken link would. */
  dropAll(reason = 'dropped by the spec'): void {
    for (const connection of [...this.live]) connection.close(reason);
  }

  private wrap(connection: Connection): Connection {
    this.open++;
    let closed = false;
    const markClosed = (): void => {
      if (!closed) {
        closed = true;
        this.open--;
        this.live.delete(wrapped);
      }
    };
    const wrapped: Connection = {
      remote: connection.remote,
      get bufferedAmount() {
        return connection.bufferedAmount;
      },
      setHandlers: (handlers) =>
        connection.setHandlers({
          onFrame: (frame) => handlers.onFrame(frame),
          onClose: (reason) => {
            markClosed();
            handlers.onClose(reason);
          },
        }),
      send: (frame) => {
        if (this.muted) return;
        const kind = frameKind(frame);
        this.kinds.push(kind);
        if (kind === FrameKind.Envelopes) this.envelopeFrames.push(envelopeCount(frame));
        connection.send(frame);
      },
      close: (reason) => {
        markClosed();
        connection.close(reason);
      },
      peerKnown: () => connection.peerKnown(),
    };
    this.live.add(wrapped);
    return wrapped;
  }
}

/** The kind of a frame: every frame is a short msgpack array (fixarray) whose first item is a fixint. */
function frameKind(frame: Uint8Array): number {
  return (frame[0] & 0xf0) === 0x90 ? frame[1] : -1;
}

/** The length of the envelope list in an Envelopes frame (fixarray, array16 or array32 header). */
function envelopeCount(frame: Uint8Array): number {
  const header = frame[2];
  if ((header & 0xf0) === 0x90) return header & 0x0f;
  if (header === 0xdc) return (frame[3] << 8) | frame[4];
  if (header === 0xdd) return new DataView(frame.buffer, frame.byteOffset + 3, 4).getUint32(0);
  return -1;
}

// --- a raw peer ---------------------------------------------------------------------------------

/** The far end of one hand-driven connection: what it received, and whether it was closed. */
export interface RawPeer {
  readonly frames: unknown[];
  readonly closed: Promise<string>;
  send(frame: Uint8Array): void;
  close(): void;
  /** Waits for the `index`-th frame received (0-based). */
  frame(index: number, ms: number, what: string): Promise<unknown>;
}

/**
 * Dials `port` on 127.0.0.1 with a bare transport connection and no actor system behind it, so a spec
 * can write any bytes it likes (a hello from another protocol version, garbage after a good hello).
 */
export async function rawPeer(transport: Transport, port: number): Promise<RawPeer> {
  const connection = await transport.connect('127.0.0.1', port, 16 * 1024 * 1024);
  const frames: unknown[] = [];
  let onFrame: (() => void) | undefined;
  let markClosed!: (reason: string) => void;
  const closed = new Promise<string>((resolve) => (markClosed = resolve));
  connection.setHandlers({
    onFrame: (bytes) => {
      try {
        frames.push(decode(bytes));
      } catch (error) {
        frames.push({ undecodable: String(error) });
      }
      onFrame?.();
    },
    onClose: (reason) => markClosed(reason),
  });
  return {
    frames,
    closed,
    send: (frame) => connection.send(frame),
    close: () => connection.close('raw peer done'),
    frame: (index, ms, what) =>
      within(
        new Promise<unknown>((resolve) => {
          const check = (): void => {
            if (frames.length > index) resolve(frames[index]);
          };
          const previous = onFrame;
          onFrame = () => {
            previous?.();
            check();
          };
          check();
        }),
        ms,
        what,
      ),
  };
}

/** A hello as a system at `address` would send it. */
export function helloFrame(address: string, version = PROTOCOL_VERSION, uid = 'raw-peer-uid'): Uint8Array {
  return encode([FrameKind.Hello, { version, address, uid }]);
}

/** One Envelopes frame holding `msg` for `localPath`, as a peer would write it. */
export function envelopesFrame(localPath: string, msg: unknown): Uint8Array {
  return encode([FrameKind.Envelopes, [[localPath, '', null, msg]]]);
}

/** A ref the codec writes like any other, with whatever path a spec wants (one that does not parse, one of a made-up system). */
export class ForgedRef extends BaseRef<unknown> {
  readonly uid = 'forged';
  constructor(readonly path: string) {
    super();
  }
  get system(): ActorSystem {
    throw new Error('a forged ref has no system');
  }
  tell(): void {}
  addWatcher(): void {}
  removeWatcher(): void {}
}

/** The address a raw peer claims in its hello (nothing listens there). */
export const EVIL = 'weir://evil@127.0.0.1:9';

/** b listens on ws, with an inbox; `a` is a well-behaved system talking to it. */
export async function wsPair(t: ExecutionContext, bOptions: { maxFrameBytes?: number } = {}) {
  const b = await startSystem(t, 'b', { transport: new WsTransport(), ...bOptions });
  const a = await startSystem(t, 'a', { transport: new WsTransport() });
  const inbox = spawnProbe<Ping>(b.system, 'inbox');
  const toInbox = a.system.resolve<Ping>(`${b.system.address}/user/inbox`);
  return { a, b, inbox, toInbox };
}

/** A raw ws peer that has completed the hello as `EVIL`. */
export async function handshakenRawPeer(port: number): Promise<{ raw: RawPeer; answer: unknown }> {
  const raw = await rawPeer(new WsTransport(), port);
  raw.send(helloFrame(EVIL));
  const answer = await raw.frame(0, 2000, 'the HelloAck');
  return { raw, answer };
}

/** The port in an address weir://name@host:port. */
export function portOf(system: ActorSystem): number {
  const port = parseActorPath(system.address).address.port;
  if (port === undefined) throw new Error(`${system.address} does not listen`);
  return port;
}

/** host:port of a listening system, as the memory network names it. */
export function hostPortOf(system: ActorSystem): string {
  return `127.0.0.1:${portOf(system)}`;
}

// --- what would have killed the process --------------------------------------------------------

const recorders = new Set<unknown[]>();
let displaced: NodeJS.UncaughtExceptionListener[] = [];
const recordUncaught = (error: unknown): void => {
  for (const recorder of recorders) recorder.push(error);
};

/**
 * Stands in for the process while the test runs: every exception that escapes to the event loop
 * (a frame handler throwing into ws, an RxJS error rethrown in a timer) is recorded here instead
 * of ending the worker, so a spec can assert, by name, that none escaped. Shared by the tests of a
 * file that run at once: each sees every escape while it runs.
 */
export function uncaughtExceptions(t: ExecutionContext): unknown[] {
  const errors: unknown[] = [];
  if (recorders.size === 0) {
    displaced = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', recordUncaught);
  }
  recorders.add(errors);
  t.teardown(() => {
    recorders.delete(errors);
    if (recorders.size > 0) return;
    process.off('uncaughtException', recordUncaught);
    for (const listener of displaced) process.on('uncaughtException', listener);
    displaced = [];
  });
  return errors;
}

/** The messages of what escaped, for t.deepEqual(escaped(errors), []). */
export const escaped = (errors: readonly unknown[]): string[] => errors.map((error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
