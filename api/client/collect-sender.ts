// The sink's end of a remote collect, in a TaskManager process: each batch is a CollectBatch asked of
// the client's receiver. A sink subtask keeps at most COLLECT_MAX_IN_FLIGHT batches unacknowledged;
// the receiver holds its acks while the client's buffer is full, which stops the sink's subtask
// (backpressure). Delivery is at most once, as for every actor message: a batch not acknowledged
// within COLLECT_ACK_TIMEOUT_MS (the client is gone, or stopped reading) fails the job with
// COLLECT_FAILED instead of losing records silently.
//
// The sinks of one process share one actor system of their own (the TaskManager's is not handed to
// operators), listening on WEIR_TASKMANAGER_HOST (default 127.0.0.1) and proving the cluster's
// secret to the client (configureCollectSenders): started by the first sender opened, terminated
// when the last one is closed, so it never keeps a process alive.
import { randomBytes } from 'node:crypto';
import { type ActorRef, ActorSystem, type AuthSecret, REMOTE_DEFAULTS, type TlsOptions } from '../../actors/index.ts';
import type { CollectAck, CollectMsg } from '../../messages/collect.ts';
import { encode } from '../../messages/codec.ts';
import '../../messages/collect.ts'; // registers the collect protocol's message types
import { WeirError, describeError } from '../../messages/errors.ts';
import type { CollectSender, CollectSenderContext } from '../collect/sender.ts';

/** Batches a sink subtask may have on their way to the client, unacknowledged. */
export const COLLECT_MAX_IN_FLIGHT = 4;
/** How long a sink waits for the client to acknowledge a batch before it fails the job. */
export const COLLECT_ACK_TIMEOUT_MS = 60_000;

let senderSystem: Promise<ActorSystem> | undefined;
/** The cluster's secret and TLS, set by the TaskManager process before any job runs. */
let senderSecret: AuthSecret | undefined;
let senderTls: TlsOptions | undefined;

/** Called once by a TaskManager process at start: what its collect sinks' actor system proves to the client. */
export function configureCollectSenders(options: { readonly secret: AuthSecret | undefined; readonly tls?: TlsOptions }): void {
  senderSecret = options.secret;
  senderTls = options.tls;
}

/** Senders opened and not closed: the shared system lives while this is above 0. */
let openSenders = 0;

/** The actor system this process's collect sinks send from. */
function sharedSenderSystem(): Promise<ActorSystem> {
  senderSystem ??= ActorSystem.create({
    name: `collect-${randomBytes(4).toString('hex')}`,
    remote: { host: process.env.WEIR_TASKMANAGER_HOST ?? REMOTE_DEFAULTS.host, port: 0, ...(senderSecret ? { secret: senderSecret } : {}), ...(senderTls ? { tls: senderTls } : {}) },
    log: { level: 'warn' },
  }).catch((error: unknown) => {
    senderSystem = undefined;
    throw error;
  });
  return senderSystem;
}

export async function openRemoteCollectSender(receiverPath: string, context: CollectSenderContext): Promise<CollectSender> {
  let system: ActorSystem;
  openSenders++;
  try {
    system = await sharedSenderSystem();
  } catch (error) {
    releaseSender();
    throw new WeirError('COLLECT_FAILED', `${context.operator}: cannot start the actor system to send records to the client at ${receiverPath}: ${describeError(error)}`, { cause: error });
  }
  return new RemoteCollectSender(system, system.resolve<CollectMsg>(receiverPath), context);
}

class RemoteCollectSender implements CollectSender {
  private sequence = 0;
  /** Batches sent and not acknowledged; each promise removes itself once settled (never rejects). */
  private readonly inFlight = new Set<Promise<void>>();
  private failure: WeirError | null = null;
  private closed = false;

  constructor(
    private readonly system: ActorSystem,
    private readonly receiver: ActorRef<CollectMsg>,
    private readonly context: CollectSenderContext,
  ) {}

  send(records: unknown[]): void {
    if (this.failure) throw this.failure;
    // The remote layer would drop a message it cannot encode as a dead letter, and the job would
    // only fail at the ack timeout: check the batch here and fail now, naming the sink.
    try {
      encode(records);
    } catch (error) {
      throw new WeirError(
        'RECORD_ENCODING_FAILED',
        `${this.context.operator} (subtask ${this.context.subtaskIndex}): cannot send a batch of ${records.length} records to the client: ${describeError(error)}`,
        { cause: error },
      );
    }
    const sequence = this.sequence++;
    const { operatorId, subtaskIndex } = this.context;
    const acknowledged: Promise<void> = this.system
      .ask<CollectMsg, CollectAck>(this.receiver, (replyTo) => ({ type: 'CollectBatch', operatorId, subtaskIndex, sequence, records, replyTo }), COLLECT_ACK_TIMEOUT_MS)
      .then(
        () => {
          this.inFlight.delete(acknowledged);
        },
        (error: unknown) => {
          this.inFlight.delete(acknowledged);
          this.failure ??= new WeirError(
            'COLLECT_FAILED',
            `${this.context.operator} (subtask ${subtaskIndex}): the client at ${this.receiver.path} did not take batch ${sequence} of ${records.length} records: ${describeError(error)}`,
            { cause: error },
          );
        },
      );
    this.inFlight.add(acknowledged);
  }

  backlog(): Promise<void> | null {
    if (this.failure) throw this.failure;
    if (this.inFlight.size < COLLECT_MAX_IN_FLIGHT) return null;
    return this.inFlight.values().next().value ?? null;
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    releaseSender();
  }
}

function releaseSender(): void {
  openSenders--;
  if (openSenders > 0 || !senderSystem) return;
  const closing = senderSystem;
  senderSystem = undefined;
  void closing.then((system) => system.terminate()).catch(() => undefined);
}
