// The sink's end of collect: hands batches to the client's receiver. In-process (the embedded mini
// cluster) a batch goes straight into the reader's channel; across processes it is an actor message
// to the client (api/client/collect-sender.ts). With no target (nobody reads) batches are dropped.
import { WeirError } from '../../messages/errors.ts';
import type { CollectChannel } from './channel.ts';
import { localCollectChannel } from './channel.ts';
import type { CollectTarget } from './target.ts';

export interface CollectSender {
  /** Hands a batch over; the sender owns it from now on. Throws the failure of an earlier batch. */
  send(records: unknown[]): void;
  /** A promise to wait for before sending more (the client has no room), or null. */
  backlog(): Promise<void> | null;
  /** Settles once every batch sent was received; rejects with the first failure. */
  flush(): Promise<void>;
  close(): void;
}

/** Which sink subtask sends, for the receiver and for errors. */
export interface CollectSenderContext {
  /** `operator "Sink: Collect" (id "sink-collect-4")`. */
  readonly operator: string;
  readonly operatorId: string;
  readonly subtaskIndex: number;
}

const DISCARDING_SENDER: CollectSender = {
  send: () => {},
  backlog: () => null,
  flush: () => Promise.resolve(),
  close: () => {},
};

/**
 * The remote sender needs the actor runtime. It is imported by URL, only where a sink names a remote
 * receiver (a TaskManager process), so a bundler that packs a job module leaves it out.
 */
const REMOTE_SENDER_MODULE = new URL('../client/collect-sender.ts', import.meta.url).href;

export async function openCollectSender(target: CollectTarget | null, context: CollectSenderContext): Promise<CollectSender> {
  if (target === null) return DISCARDING_SENDER;
  if (target.kind === 'local') {
    const channel = localCollectChannel(target.channel);
    if (!channel) {
      throw new WeirError(
        'COLLECT_FAILED',
        `${context.operator}: no collect receiver "${target.channel}" in this process; an in-process collect target is only valid on the embedded mini cluster that the client started`,
      );
    }
    return new LocalCollectSender(channel);
  }
  const remote = (await import(REMOTE_SENDER_MODULE)) as typeof import('../client/collect-sender.ts');
  return remote.openRemoteCollectSender(target.receiver, context);
}

/** In-process: the batch is the reader's at once; no room means wait until the reader catches up. */
class LocalCollectSender implements CollectSender {
  constructor(private readonly channel: CollectChannel) {}

  send(records: unknown[]): void {
    this.channel.push(records);
  }

  backlog(): Promise<void> | null {
    return this.channel.hasRoom ? null : this.channel.whenRoom();
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {}
}
