// Helpers for the remoting specs: bounded waits, systems that terminate with the test, a probe actor,
// captured logs, and a Transport wrapper that counts connections and frames.
import type { ExecutionContext } from 'ava';
import { type ActorRef, ActorSystem, Behaviors, type DeadLetter, MemoryNetwork, type RemoteOptions } from '../../../actors/index.ts';
import type { Connection, Transport } from '../../../actors/remote/transport.ts';
import type { LogFields } from '../../../actors/log.ts';
import { registerMessages } from '../../../messages/codec.ts';
import { FrameKind } from '../../../messages/remoting.ts';

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
export type TestMsg = Ping | Pong;
registerMessages(['Ping', 'Pong']);

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
export async function startSystem(t: ExecutionContext, name: string, remote: RemoteOptions): Promise<StartedSystem> {
  const log = captureLog();
  const system = await ActorSystem.create({ name, remote, log: { level: 'debug', sink: log.sink } });
  const deadLetters: DeadLetter[] = [];
  system.deadLetters$.subscribe((letter) => deadLetters.push(letter));
  t.teardown(() => system.terminate());
  return { system, log, deadLetters };
}

/** Remote options for a fast in-memory pair. */
export function memoryRemote(network: MemoryNetwork, extra: RemoteOptions = {}): RemoteOptions {
  return { transport: network.transport(), ...extra };
}

// --- probe --------------------------------------------------------------------------------------

/** An actor that records what it receives; specs await its messages with bounded waits. */
export interface Probe<M> {
  readonly ref: ActorRef<M>;
  readonly received: M[];
  /** The next message not yet taken by `next`. */
  next(ms: number, what?: string): Promise<M>;
  /** Waits until `count` messages have arrived in total. */
  waitFor(count: number, ms: number, what?: string): Promise<M[]>;
}

export function spawnProbe<M>(system: ActorSystem, name: string, onMessage?: (msg: M) => void): Probe<M> {
  const received: M[] = [];
  let taken = 0;
  let wake: (() => void) | undefined;
  const ref = system.spawn(
    Behaviors.receiveMessage<M>((msg) => {
      received.push(msg);
      onMessage?.(msg);
      wake?.();
      return Behaviors.same;
    }),
    name,
  );
  const arrived = (count: number): Promise<void> =>
    new Promise((resolve) => {
      if (received.length >= count) return resolve();
      const previous = wake;
      wake = () => {
        previous?.();
        if (received.length >= count) resolve();
      };
    });
  return {
    ref,
    received,
    async next(ms, what = `message #${taken + 1} at ${ref.path}`) {
      await within(arrived(taken + 1), ms, what);
      return received[taken++];
    },
    async waitFor(count, ms, what = `${count} messages at ${ref.path}`) {
      await within(arrived(count), ms, what);
      return received;
    },
  };
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
  /** Frames sent by this side, by frame kind. */
  readonly sentByKind = new Map<number, number>();
  /** Number of envelopes in each Envelopes frame sent, in order. */
  readonly envelopeFrames: number[] = [];

  constructor(private readonly inner: Transport) {}

  listen(host: string, port: number, maxFrameBytes: number, onConnection: (connection: Connection) => void): ReturnType<Transport['listen']> {
    return this.inner.listen(host, port, maxFrameBytes, (connection) => {
      this.accepted++;
      onConnection(this.wrap(connection));
    });
  }

  async connect(host: string, port: number, maxFrameBytes: number): Promise<Connection> {
    const connection = await this.inner.connect(host, port, maxFrameBytes);
    this.dialled++;
    return this.wrap(connection);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  sent(kind: number): number {
    return this.sentByKind.get(kind) ?? 0;
  }

  private wrap(connection: Connection): Connection {
    this.open++;
    let closed = false;
    const markClosed = (): void => {
      if (!closed) {
        closed = true;
        this.open--;
      }
    };
    return {
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
        const kind = frameKind(frame);
        this.sentByKind.set(kind, this.sent(kind) + 1);
        if (kind === FrameKind.Envelopes) this.envelopeFrames.push(envelopeCount(frame));
        connection.send(frame);
      },
      close: (reason) => {
        markClosed();
        connection.close(reason);
      },
    };
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
