// The data plane's wire protocol: record batches between TaskManagers, on one ws connection per pair
// of TaskManagers that multiplexes channels (either side may consume from the other over it).
// Each frame is one msgpack array whose first element is its kind:
//   dialler -> listener: Hello, first (the dialler's own data address, so the listener may reuse
//     the connection for its own requests; null when it does not listen). With a shared secret
//     (security.auth.secret) the Hello carries the dialler's nonce and the address it dialled, and
//     the handshake goes on before anything else is sent or decoded: listener -> dialler Challenge
//     (its nonce), dialler -> listener Proof, listener -> dialler Accepted (its own proof). Either
//     side refuses the other's hello or proof with Refused (an authentication code and the reason),
//     then closes. Without a secret on either side nothing answers the Hello, as before.
//   consumer -> producer: PartitionRequest (opens a channel, with its initial credit), Credit (the
//     consumer polled batches and can hold that many more).
//   producer -> consumer: Batch (one batch of stream elements, encoded once with the records
//     extension: its records, their event timestamps or null, and the events between them — flat
//     [position, watermark | 'idle' | 'active' | barrier, ...] — or null), End (no batch follows),
//     Failed (the channel cannot be served; nothing follows), PriorityEvent (an unaligned checkpoint's
//     barrier: it overtakes every batch sent before it that the consumer has not read, and takes no
//     credit; checked where it is read, like a batch's events). A barrier is a plain map
//     { kind: 'barrier', checkpointId, timestamp, mode, savepoint } and the last element of its batch.
//     Events are checked where they are read (NetworkInput): anything else fails the consuming task
//     with MALFORMED_FRAME naming the channel. Barriers need no new protocol version: the frame's
//     layout is unchanged, and only a producer of this version sends them (checkpointing is new with it).
// Channel ids are chosen by the consumer, unique per connection and consumer side: a PartitionRequest
// or Credit names the sender's channel, a Batch, End or Failed the receiver's.
import { type HelloAuth, isNonce, isProof } from './auth.ts';
import type { ErrorCode } from './errors.ts';
import { WeirError } from './errors.ts';
import { describeWireValue } from './wire-values.ts';

/** Bumped on any incompatible change; a Hello with another version closes the connection. 3: authentication; 4: PriorityEvent. */
export const DATA_PROTOCOL_VERSION = 4;

export const DataFrameKind = {
  Hello: 1,
  PartitionRequest: 2,
  Batch: 3,
  End: 4,
  Credit: 5,
  Failed: 6,
  Challenge: 7,
  Proof: 8,
  Accepted: 9,
  Refused: 10,
  PriorityEvent: 11,
} as const;

/** The failures a producer reports for one channel (the codes of WeirErrors raised on the consumer). */
export const CHANNEL_FAILURE_CODES = [
  'PARTITION_RELEASED',
  'SUBPARTITION_NOT_FOUND',
  'FRAME_TOO_LARGE',
  'RECORD_ENCODING_FAILED',
  'PARTITION_REQUEST_FAILED',
] as const;
export type ChannelFailureCode = (typeof CHANNEL_FAILURE_CODES)[number] & ErrorCode;

export type HelloFrame = readonly [typeof DataFrameKind.Hello, version: number, dataAddress: string | null, auth: HelloAuth | null];
export type ChallengeFrame = readonly [typeof DataFrameKind.Challenge, nonce: Uint8Array];
export type ProofFrame = readonly [typeof DataFrameKind.Proof, proof: Uint8Array];
export type AcceptedFrame = readonly [typeof DataFrameKind.Accepted, proof: Uint8Array];
export type RefusedFrame = readonly [typeof DataFrameKind.Refused, code: string, reason: string];
/** The frames of the handshake: the only ones decoded before the peer proved itself. */
export type HandshakeFrame = HelloFrame | ChallengeFrame | ProofFrame | AcceptedFrame | RefusedFrame;
export type PartitionRequestFrame = readonly [
  typeof DataFrameKind.PartitionRequest,
  channelId: number,
  partitionKey: string,
  subpartition: number,
  credits: number,
];
export type BatchFrame = readonly [
  typeof DataFrameKind.Batch,
  channelId: number,
  records: unknown[],
  timestamps: (number | undefined)[] | null,
  /** [position, event, ...]: a watermark, 'idle', 'active' or a barrier map; unchecked here (see the header). */
  events: unknown[] | null,
];
export type EndFrame = readonly [typeof DataFrameKind.End, channelId: number];
export type CreditFrame = readonly [typeof DataFrameKind.Credit, channelId: number, credits: number];
export type FailedFrame = readonly [typeof DataFrameKind.Failed, channelId: number, code: ChannelFailureCode, message: string];
/** An unaligned checkpoint's barrier map; unchecked here (see the header). */
export type PriorityEventFrame = readonly [typeof DataFrameKind.PriorityEvent, channelId: number, event: object];

export type DataFrame = HandshakeFrame | PartitionRequestFrame | BatchFrame | EndFrame | CreditFrame | FailedFrame | PriorityEventFrame;

/** The longest data address a Hello may name (host:port; a long DNS name is 253 characters). */
export const MAX_DATA_ADDRESS_CHARS = 300;
/** The longest reason a Refused frame carries. */
export const MAX_REFUSED_REASON_CHARS = 1024;

const isDataAddress = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_DATA_ADDRESS_CHARS;
const isHelloAuth = (value: unknown): value is HelloAuth => {
  const auth = value as Partial<HelloAuth> | null;
  return typeof auth === 'object' && auth !== null && isNonce(auth.nonce) && isDataAddress(auth.to);
};

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
/** Timestamps: null, or one per record, each a number (ms; a global window's results carry Infinity) or undefined; one pass per batch. */
function isBatchSide(value: unknown, records: number): boolean {
  if (value === null) return true;
  if (!Array.isArray(value) || value.length !== records) return false;
  for (let index = 0; index < value.length; index++) {
    const timestamp: unknown = value[index];
    if (timestamp !== undefined && (typeof timestamp !== 'number' || Number.isNaN(timestamp))) return false;
  }
  return true;
}
/** Events: null, or [position, event] pairs (their values are checked where they are read). */
const isEventList = (value: unknown): boolean => value === null || (Array.isArray(value) && value.length % 2 === 0);
export const isChannelFailureCode = (value: unknown): value is ChannelFailureCode => (CHANNEL_FAILURE_CODES as readonly unknown[]).includes(value);

/** Narrows a decoded frame; throws MALFORMED_FRAME naming the kind and what is wrong. O(1): records are not inspected. */
export function parseDataFrame(value: unknown): DataFrame {
  if (!Array.isArray(value) || value.length === 0) throw malformed(`not a data frame: ${describeShape(value)}`);
  const [kind, channelId] = value;
  switch (kind) {
    case DataFrameKind.Hello:
      // Another version may have another shape: say so rather than that the shape is wrong.
      if (isCount(value[1]) && value[1] !== DATA_PROTOCOL_VERSION) {
        throw new WeirError('PROTOCOL_VERSION_MISMATCH', `the peer speaks data protocol ${value[1]}, this TaskManager ${DATA_PROTOCOL_VERSION}`);
      }
      if (value.length === 4 && isCount(value[1]) && (value[2] === null || isDataAddress(value[2])) && (value[3] === null || isHelloAuth(value[3]))) {
        return value as unknown as HelloFrame;
      }
      break;
    case DataFrameKind.Challenge:
      if (value.length === 2 && isNonce(value[1])) return value as unknown as ChallengeFrame;
      break;
    case DataFrameKind.Proof:
    case DataFrameKind.Accepted:
      if (value.length === 2 && isProof(value[1])) return value as unknown as ProofFrame | AcceptedFrame;
      break;
    case DataFrameKind.Refused:
      if (value.length === 3 && typeof value[1] === 'string' && value[1].length <= 64 && typeof value[2] === 'string' && value[2].length <= MAX_REFUSED_REASON_CHARS) {
        return value as unknown as RefusedFrame;
      }
      break;
    case DataFrameKind.PartitionRequest:
      if (value.length === 5 && isCount(channelId) && typeof value[2] === 'string' && isCount(value[3]) && isCount(value[4])) {
        return value as unknown as PartitionRequestFrame;
      }
      break;
    case DataFrameKind.Batch:
      if (value.length === 5 && isCount(channelId) && Array.isArray(value[2]) && isBatchSide(value[3], value[2].length) && isEventList(value[4])) {
        return value as unknown as BatchFrame;
      }
      break;
    case DataFrameKind.End:
      if (value.length === 2 && isCount(channelId)) return value as unknown as EndFrame;
      break;
    case DataFrameKind.Credit:
      if (value.length === 3 && isCount(channelId) && isCount(value[2]) && value[2] > 0) return value as unknown as CreditFrame;
      break;
    case DataFrameKind.Failed:
      if (value.length === 4 && isCount(channelId) && isChannelFailureCode(value[2]) && typeof value[3] === 'string') return value as unknown as FailedFrame;
      break;
    case DataFrameKind.PriorityEvent:
      if (value.length === 3 && isCount(channelId) && typeof value[2] === 'object' && value[2] !== null) return value as unknown as PriorityEventFrame;
      break;
    default:
      throw malformed(`unknown data frame kind ${describeWireValue(kind)}`);
  }
  const name = Object.keys(DataFrameKind).find((key) => DataFrameKind[key as keyof typeof DataFrameKind] === kind);
  throw malformed(`${name} frame with ${value.length} fields does not have the expected fields`);
}

function malformed(message: string): WeirError {
  return new WeirError('MALFORMED_FRAME', message);
}

function describeShape(value: unknown): string {
  if (Array.isArray(value)) return 'an empty array';
  return value === null ? 'null' : typeof value;
}
