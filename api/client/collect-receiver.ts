// The client's collect receiver for a remote job: an actor in the client's system that puts each
// CollectBatch from a sink subtask into the reader's channel. It acknowledges a batch at once while
// the channel has room, and otherwise holds the acks until the reader has made room: each sink
// subtask keeps at most COLLECT_MAX_IN_FLIGHT batches unacknowledged, so what the client buffers is
// bounded by the channel's capacity plus that many batches per sink subtask.
import { type ActorContext, type ActorRef, type ActorSystem, type Behavior, Behaviors } from '../../actors/index.ts';
import type { CollectBatch, CollectMsg } from '../../messages/collect.ts';
import '../../messages/collect.ts'; // registers the collect protocol's message types
import { COLLECT_BUFFER_RECORDS, CollectChannel, type CollectReceiver } from '../collect/channel.ts';

/** The receiver's private messages: the reader made room in the channel; the client stops receiving. */
type Internal = { readonly type: 'RoomAvailable' } | { readonly type: 'StopReceiving' };

type ReceiverMsg = CollectMsg | Internal;

let receiverCounter = 0;

/** Spawns a receiver in `system` (remote-enabled: sinks reach it at its weir:// path). */
export function openRemoteCollect(system: ActorSystem, capacity = COLLECT_BUFFER_RECORDS): CollectReceiver {
  const channel = new CollectChannel(capacity);
  const ref = system.spawn(collectReceiver(channel), `collect-${(receiverCounter++).toString(36)}`);
  let closed = false;
  return {
    target: { kind: 'remote', receiver: ref.path },
    channel,
    close: () => {
      if (closed) return;
      closed = true;
      if (channel.isOpen) channel.close();
      (ref as ActorRef<ReceiverMsg>).tell({ type: 'StopReceiving' });
    },
  };
}

export function collectReceiver(channel: CollectChannel): Behavior<CollectMsg> {
  return Behaviors.setup<ReceiverMsg>((ctx) => receiving(ctx, channel, [], false)) as unknown as Behavior<CollectMsg>;
}

/** `held`: batches put into the channel whose acks wait for room; `waiting`: a RoomAvailable is due. */
function receiving(ctx: ActorContext<ReceiverMsg>, channel: CollectChannel, held: readonly CollectBatch[], waiting: boolean): Behavior<ReceiverMsg> {
  return Behaviors.receiveMessage<ReceiverMsg>((msg) => {
    switch (msg.type) {
      case 'CollectBatch': {
        channel.push(msg.records);
        if (channel.hasRoom && held.length === 0) {
          acknowledge(msg);
          return Behaviors.same;
        }
        if (!waiting) ctx.pipeToSelf(channel.whenRoom(), (): ReceiverMsg => ({ type: 'RoomAvailable' }));
        return receiving(ctx, channel, [...held, msg], true);
      }
      case 'RoomAvailable':
        for (const batch of held) acknowledge(batch);
        return receiving(ctx, channel, [], false);
      case 'StopReceiving':
        return Behaviors.stopped;
      default:
        // A message of another protocol (it may come off the wire): a dead letter, not a stop.
        msg satisfies never;
        return Behaviors.unhandled;
    }
  });
}

function acknowledge(batch: CollectBatch): void {
  batch.replyTo.tell({ type: 'CollectAck', sequence: batch.sequence });
}
