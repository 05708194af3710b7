// The wire protocol between two actor systems (one connection per pair, used both ways).
// Each frame is one msgpack array whose first element is its kind:
//   initiator -> acceptor: Hello; acceptor -> initiator: HelloAck or Reject. With a shared secret
//   (security.auth.secret) the Hello carries the initiator's nonce, and two frames come between:
//   acceptor -> initiator Challenge (its nonce), initiator -> acceptor Proof; the HelloAck then
//   carries the acceptor's proof (actors/remote/auth.ts). Nothing else is decoded before that. Then either side sends
//   Envelopes (actor messages, coalesced), Heartbeat (answered by HeartbeatAck, so each side's
//   detector runs on its own interval whatever the peer's settings), Watch / Unwatch (watcher's system -> watchee's),
//   Terminated (watchee's system -> watcher's), TraceSubscribe / TraceUnsubscribe (subscriber ->
//   traced system) and TraceEvents (traced system -> subscriber: events, and how many it dropped).

import { AUTH_NONCE_BYTES, AUTH_PROOF_BYTES, type HelloAuth, isNonce, isProof } from './auth.ts';
import { WeirError } from './errors.ts';
import { describeWireValue } from './wire-values.ts';

/** Bumped on any incompatible change; a peer with another version is rejected at the hello. 2: authentication. */
export const PROTOCOL_VERSION = 2;

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
  Challenge: 13,
  Proof: 14,
} as const;

export interface HelloBody {
  readonly version: number;
  /** weir://name@host:port: where the sender listens. */
  readonly address: string;
  /** The sender's incarnation uid. */
  readonly uid: string;
  /** Present when the initiator has a secret: it asks the acceptor to authenticate. */
  readonly auth?: HelloAuth;
}

export interface HelloAckBody {
  readonly version: number;
  readonly address: string;
  readonly uid: string;
  /** The acceptor's proof, when the hello asked for authentication. */
  readonly proof?: Uint8Array;
}

/** [recipient local path, recipient system uid ('' = any), sender path or null, message] */
export type Envelope = readonly [to: string, toUid: string, from: string | null, msg: unknown];

export type Frame =
  | readonly [typeof FrameKind.Hello, HelloBody]
  | readonly [typeof FrameKind.HelloAck, HelloAckBody]
  | readonly [typeof FrameKind.Challenge, nonce: Uint8Array]
  | readonly [typeof FrameKind.Proof, proof: Uint8Array]
  | readonly [typeof FrameKind.Reject, { readonly code: string; readonly reason: string }]
  | readonly [typeof FrameKind.Envelopes, readonly Envelope[]]
  | readonly [typeof FrameKind.Heartbeat]
  | readonly [typeof FrameKind.HeartbeatAck]
  | readonly [typeof FrameKind.Watch, watchee: string, watcher: string]
  | readonly [typeof FrameKind.Unwatch, watchee: string, watcher: string]
  | readonly [typeof FrameKind.Terminated, watchee: string, error: string | null]
  | readonly [typeof FrameKind.TraceSubscribe, id: number, filter: TraceFilterBody]
  | readonly [typeof FrameKind.TraceUnsubscribe, id: number]
  | readonly [typeof FrameKind.TraceEvents, id: number, events: readonly unknown[], dropped?: number];

/** A trace subscription's filter on the wire (actors/trace-filter.ts says what each field means). */
export type TraceFilterBody = { readonly types?: readonly string[]; readonly path?: string; readonly job?: string; readonly actor?: string; readonly type?: string };

/** Each text of a trace filter is matched against every traced message, so it is bounded. */
export const MAX_TRACE_FILTER_CHARS = 256;

/** The longest address a hello may name, and the longest uid: both are kept (associations, quarantine). */
export const MAX_HELLO_ADDRESS_CHARS = 1024;
export const MAX_UID_CHARS = 256;

export function isHelloBody(value: unknown): value is HelloBody {
  const body = value as Partial<HelloBody> | null;
  return typeof body === 'object' && body !== null && typeof body.version === 'number' && typeof body.address === 'string' && typeof body.uid === 'string';
}

/** What is wrong with a Hello or HelloAck body, or undefined when nothing is. */
function helloProblem(value: unknown, kind: typeof FrameKind.Hello | typeof FrameKind.HelloAck): string | undefined {
  if (!isHelloBody(value)) return 'the body is not {version, address, uid}';
  if (value.address.length > MAX_HELLO_ADDRESS_CHARS) return `the address has ${value.address.length} characters, over ${MAX_HELLO_ADDRESS_CHARS}`;
  if (value.uid.length > MAX_UID_CHARS) return `the uid has ${value.uid.length} characters, over ${MAX_UID_CHARS}`;
  if (kind === FrameKind.Hello) {
    const auth = value.auth as Partial<HelloAuth> | null | undefined;
    if (auth === undefined) return undefined;
    if (typeof auth !== 'object' || auth === null || !isNonce(auth.nonce) || typeof auth.to !== 'string') return 'the auth is not {nonce, to}';
    if (auth.to.length > MAX_HELLO_ADDRESS_CHARS) return `the auth's address has ${auth.to.length} characters, over ${MAX_HELLO_ADDRESS_CHARS}`;
    return undefined;
  }
  const { proof } = value as Partial<HelloAckBody>;
  return proof === undefined || isProof(proof) ? undefined : `the proof is ${describeWireValue(proof)}, not ${AUTH_PROOF_BYTES} bytes`;
}

/** What is wrong with a trace filter (only `types`, an array of strings, and `path`, `job`, `actor`, `type`, strings), or undefined. */
export function traceFilterProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `the filter is ${describeWireValue(value)}, not an object`;
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue; // an absent field, as msgpack writes it
    if (key === 'types') {
      if (!Array.isArray(field) || !field.every((type) => typeof type === 'string')) return `the filter's types are ${describeWireValue(field)}, not an array of strings`;
    } else if (key === 'path' || key === 'job' || key === 'actor' || key === 'type') {
      if (typeof field !== 'string') return `the filter's ${key} is ${describeWireValue(field)}, not a string`;
      if (field.length > MAX_TRACE_FILTER_CHARS) return `the filter's ${key} has ${field.length} characters, over ${MAX_TRACE_FILTER_CHARS}`;
    } else return `the filter has an unknown field ${describeWireValue(key)}`;
  }
  return undefined;
}

/** A local actor path as Watch, Unwatch and Terminated carry it: /user/a/b. */
const LOCAL_PATH = /^(\/[^/]+)+$/;
const isLocalPath = (value: unknown): value is string => typeof value === 'string' && LOCAL_PATH.test(value);
/** Subscription ids are counters of the subscriber's: non-negative safe integers. */
const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

const KIND_NAMES = new Map<unknown, string>(Object.entries(FrameKind).map(([name, kind]) => [kind, name]));

/** The name of a frame kind, for errors and logs. */
export function frameKindName(kind: unknown): string {
  return KIND_NAMES.get(kind) ?? `kind ${describeWireValue(kind)}`;
}

/**
 * Narrows a decoded frame; throws MALFORMED_FRAME naming the kind and what is wrong. O(1) in the
 * envelopes and trace events it carries (Remoting checks each as it handles it); a trace filter's
 * types are checked, since the filter runs on every traced message.
 */
export function parseFrame(value: unknown): Frame {
  if (!Array.isArray(value) || value.length === 0) throw malformed(`a frame is ${describeWireValue(value)}, not an array starting with its kind`);
  const [kind, first, second] = value;
  let problem: string | undefined;
  switch (kind) {
    case FrameKind.Hello:
    case FrameKind.HelloAck:
      problem = value.length !== 2 ? fieldCount(value.length, 2) : helloProblem(first, kind);
      break;
    case FrameKind.Challenge:
      problem = value.length !== 2 ? fieldCount(value.length, 2) : isNonce(first) ? undefined : `the nonce is ${describeWireValue(first)}, not ${AUTH_NONCE_BYTES} bytes`;
      break;
    case FrameKind.Proof:
      problem = value.length !== 2 ? fieldCount(value.length, 2) : isProof(first) ? undefined : `the proof is ${describeWireValue(first)}, not ${AUTH_PROOF_BYTES} bytes`;
      break;
    case FrameKind.Reject: {
      const body = first as { code?: unknown; reason?: unknown } | null;
      const wellFormed = value.length === 2 && typeof body === 'object' && body !== null && typeof body.code === 'string' && typeof body.reason === 'string';
      problem = wellFormed ? undefined : 'the body is not {code, reason}';
      break;
    }
    case FrameKind.Envelopes:
      problem = value.length !== 2 ? fieldCount(value.length, 2) : Array.isArray(first) ? undefined : `the envelopes are ${describeWireValue(first)}, not a list`;
      break;
    case FrameKind.Heartbeat:
    case FrameKind.HeartbeatAck:
      problem = value.length !== 1 ? fieldCount(value.length, 1) : undefined;
      break;
    case FrameKind.Watch:
    case FrameKind.Unwatch:
    case FrameKind.Terminated:
      if (value.length !== 3) problem = fieldCount(value.length, 3);
      else if (!isLocalPath(first)) problem = `the path ${describeWireValue(first)} is not a local actor path like /user/name`;
      else if (kind === FrameKind.Terminated ? second !== null && typeof second !== 'string' : typeof second !== 'string') {
        problem = `the ${kind === FrameKind.Terminated ? 'error' : 'watcher'} is ${describeWireValue(second)}, not a string`;
      }
      break;
    case FrameKind.TraceSubscribe:
      problem = value.length !== 3 ? fieldCount(value.length, 3) : !isId(first) ? badId(first) : traceFilterProblem(second);
      break;
    case FrameKind.TraceUnsubscribe:
      problem = value.length !== 2 ? fieldCount(value.length, 2) : !isId(first) ? badId(first) : undefined;
      break;
    case FrameKind.TraceEvents:
      // The fourth field, how many events the traced side dropped, is absent from older peers.
      if (value.length !== 3 && value.length !== 4) problem = fieldCount(value.length, 4);
      else if (!isId(first)) problem = badId(first);
      else if (!Array.isArray(second)) problem = `the events are ${describeWireValue(second)}, not a list`;
      else if (value.length === 4 && !isId(value[3])) problem = `the dropped count ${describeWireValue(value[3])} is not a non-negative integer`;
      break;
    default:
      throw malformed(`unknown frame kind ${describeWireValue(kind)}`);
  }
  if (problem !== undefined) throw malformed(`${frameKindName(kind)} frame: ${problem}`);
  return value as unknown as Frame;
}

const fieldCount = (actual: number, expected: number): string => `${actual} fields, not ${expected}`;
const badId = (id: unknown): string => `the subscription id ${describeWireValue(id)} is not a non-negative integer`;

function malformed(message: string): WeirError {
  return new WeirError('MALFORMED_FRAME', message);
}
