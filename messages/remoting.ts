// The wire protocol between two actor systems (one connection per pair, used both ways).
// Each frame is one msgpack array whose first element is its kind:
//   initiator -> acceptor: Hello; acceptor -> initiator: HelloAck or Reject; then either side sends
//   Envelopes (actor messages, coalesced), Heartbeat (answered by HeartbeatAck, so each side's
//   detector runs on its own interval whatever the peer's settings), Watch / Unwatch (watcher's system -> watchee's),
//   Terminated (watchee's system -> watcher's), TraceSubscribe / TraceUnsubscribe (subscriber ->
//   traced system) and TraceEvents (traced system -> subscriber).

/** Bumped on any incompatible change; a peer with another version is rejected at the hello. */
export const PROTOCOL_VERSION = 1;

export const FrameKind = {
  Hello: 1,
  HelloAck: 2,
  Reject: 3,
  Envelopes: 4,
  Heartbeat: 5,
  Watch: 6,
  Unwatch: 7,
  Terminated: 8,
  TraceSubscribe: 9,
  TraceUnsubscribe: 10,
  TraceEvents: 11,
  HeartbeatAck: 12,
} as const;

export interface HelloBody {
  readonly version: number;
  /** weir://name@host:port: where the sender listens. */
  readonly address: string;
  /** The sender's incarnation uid. */
  readonly uid: string;
}

/** [recipient local path, recipient system uid ('' = any), sender path or null, message] */
export type Envelope = readonly [to: string, toUid: string, from: string | null, msg: unknown];

export type Frame =
  | readonly [typeof FrameKind.Hello, HelloBody]
  | readonly [typeof FrameKind.HelloAck, HelloBody]
  | readonly [typeof FrameKind.Reject, { readonly code: string; readonly reason: string }]
  | readonly [typeof FrameKind.Envelopes, readonly Envelope[]]
  | readonly [typeof FrameKind.Heartbeat]
  | readonly [typeof FrameKind.HeartbeatAck]
  | readonly [typeof FrameKind.Watch, watchee: string, watcher: string]
  | readonly [typeof FrameKind.Unwatch, watchee: string, watcher: string]
  | readonly [typeof FrameKind.Terminated, watchee: string, error: string | null]
  | readonly [typeof FrameKind.TraceSubscribe, id: number, filter: { readonly types?: readonly string[]; readonly path?: string }]
  | readonly [typeof FrameKind.TraceUnsubscribe, id: number]
  | readonly [typeof FrameKind.TraceEvents, id: number, events: readonly unknown[]];

export function isHelloBody(value: unknown): value is HelloBody {
  const body = value as Partial<HelloBody> | null;
  return typeof body === 'object' && body !== null && typeof body.version === 'number' && typeof body.address === 'string' && typeof body.uid === 'string';
}
