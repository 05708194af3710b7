// The messages of the actor benchmark (bench/actors.ts <-> bench/actors-peer.ts). Bench-private, so
// they live here rather than in messages/.
//   bench -> peer echo:  Ping; peer echo -> bench: Pong (one in flight: the round-trip figure)
//   bench -> peer sink:  StartCount, then Data one-way; peer sink -> bench: CountDone
//   bench -> peer sink:  Shutdown (the peer terminates its system and exits)
import type { ActorRef } from '../actors/index.ts';
import { registerMessages } from '../messages/codec.ts';

export interface Ping {
  type: 'Ping';
  seq: number;
  replyTo: ActorRef<Pong>;
}
export interface Pong {
  type: 'Pong';
  seq: number;
}
export interface StartCount {
  type: 'StartCount';
  expected: number;
  replyTo: ActorRef<CountDone>;
}
export interface Data {
  type: 'Data';
  n: number;
}
export interface CountDone {
  type: 'CountDone';
  count: number;
  /** Milliseconds between the first and the last Data, measured by the receiver. */
  receiveMs: number;
}
export interface Shutdown {
  type: 'Shutdown';
}

export type EchoMsg = Ping;
export type SinkMsg = StartCount | Data | Shutdown;

registerMessages(['Ping', 'Pong', 'StartCount', 'Data', 'CountDone', 'Shutdown']);

/** The line the peer prints on stdout once it listens. */
export interface PeerReady {
  address: string;
  echoPath: string;
  sinkPath: string;
  /** Port of the plain ws echo server (the raw round-trip baseline). */
  rawWsPort: number;
}
