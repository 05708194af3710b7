// Structure-aware messages at a process's rpc port, for the fuzz spec: after a valid Hello, every
// crafted message (spec/messages/crafted.ts) meant for a core actor of that process, in envelopes
// of frames of FRAME_ENVELOPES: the refused mutations of every message type and the valid requests
// of other protocols, never a valid message of the actor's own protocol (it would act on it).
import { WebSocket } from 'ws';
import { encode } from '../../messages/codec.ts';
import { FrameKind } from '../../messages/remoting.ts';
import { type Core, type Crafted, handles } from '../messages/crafted.ts';
import { within } from './process.ts';

const FRAME_ENVELOPES = 100;

export interface MessageFuzzFigures {
  frames: number;
  /** Refused by their schema at decode. */
  invalid: number;
  /** Valid, but of a protocol the receiving actor does not speak. */
  foreign: number;
}

/** The crafted messages that may go to `core`: refused at decode, or of another protocol. */
export function harmlessFor(crafted: readonly Crafted[], core: Core): Crafted[] {
  return crafted.filter((item) => item.target === core && (item.invalid || !handles((item.message as { type: string }).type, core)));
}

export async function fuzzMessages(url: string, hello: Uint8Array, items: readonly (readonly [path: string, item: Crafted])[], figures: MessageFuzzFigures): Promise<void> {
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 20 });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await within(new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('close', () => reject(new Error(`${url} refused the connection`)));
  }), 5_000, `a connection to ${url}`);
  socket.send(hello);
  for (let from = 0; from < items.length; from += FRAME_ENVELOPES) {
    if (socket.readyState !== WebSocket.OPEN) throw new Error(`${url} closed the connection after ${figures.frames} crafted frames: a refused message must only be a dead letter`);
    const batch = items.slice(from, from + FRAME_ENVELOPES);
    socket.send(encode([FrameKind.Envelopes, batch.map(([path, item]) => [path, '', null, item.message])]));
    figures.frames++;
    for (const [, item] of batch) {
      if (item.invalid) figures.invalid++;
      else figures.foreign++;
    }
  }
  // A round trip through the port before closing: everything sent before it was read.
  await within(new Promise<void>((resolve) => {
    socket.once('pong', () => resolve());
    socket.ping();
  }), 10_000, `${url} to read the crafted frames`);
  socket.close();
  await within(closed, 5_000, `${url} to close`).catch(() => socket.terminate());
}
