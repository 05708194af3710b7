// How a subtask snapshot is written to a file: msgpack with records (objects stay objects), Maps as
// Maps and Weir's data types (Set, Date, BigInt, undefined, -Infinity) kept, so that user state
// restores as the value it was. One encoding for the Task's files and for specs' round trips.
//
// Key groups of an asynchronous snapshot are encoded one by one when captured (CapturedKeyGroup, the
// compact form of captured-key-group.ts) and embedded as they are: msgpack extension 'K' holding the
// group's own msgpack. decodeSnapshot turns each back into the OperatorKeyGroupSnapshot that a file
// written whole would hold, so a restore reads both kinds of file alike.
import { Packr, addExtension } from 'msgpackr';
import { WeirError } from '../../../messages/errors.ts';
import { expandCapturedState } from '../../state/captured-key-group.ts';
import type { RecordBatch } from '../subtask.ts';
import type { CapturedKeyGroup, OperatorKeyGroupSnapshot, OperatorSnapshot, SourceSnapshot, SubtaskSnapshot } from './snapshot.ts';

/** msgpack extension type of an embedded key group ('K'). */
export const KEY_GROUP_EXTENSION_TYPE = 0x4b;

const packr = new Packr({ useRecords: true, mapsAsObjects: false, moreTypes: true });

/** One captured key group's msgpack: written into the file as it is, decoded when the file is read. */
export class EncodedKeyGroup {
  constructor(readonly bytes: Uint8Array) {}
}

addExtension({
  Class: EncodedKeyGroup,
  type: KEY_GROUP_EXTENSION_TYPE,
  pack: (group: EncodedKeyGroup) => group.bytes,
  // Decoded after the file is (decodeSnapshot): a nested unpack here would copy the whole file per group.
  unpack: (bytes: Uint8Array) => new EncodedKeyGroup(bytes),
});

/** What encodeSnapshot takes: a SubtaskSnapshot whose key groups may be embedded ones still. */
export interface EncodableSubtaskSnapshot {
  readonly checkpointId: number;
  readonly operators: Readonly<Record<string, Omit<OperatorSnapshot, 'keyGroups'> & { readonly keyGroups?: readonly (OperatorKeyGroupSnapshot | EncodedKeyGroup)[] }>>;
  readonly source?: SourceSnapshot;
}

export function encodeSnapshot(snapshot: EncodableSubtaskSnapshot): Uint8Array {
  return packr.pack(snapshot);
}

/** A captured key group, encoded now: it may hold the operator's live Maps, which change after this turn. */
export function encodeKeyGroup(group: CapturedKeyGroup): EncodedKeyGroup {
  return new EncodedKeyGroup(packr.pack(group));
}

/** Throws STATE_CORRUPT naming `source` (a file) when the bytes are not a subtask snapshot. */
export function decodeSnapshot(bytes: Uint8Array, source: string): SubtaskSnapshot {
  const snapshot = unpack(bytes, source) as Partial<SubtaskSnapshot> | null;
  if (typeof snapshot !== 'object' || snapshot === null || !Number.isSafeInteger(snapshot.checkpointId) || typeof snapshot.operators !== 'object' || snapshot.operators === null) {
    throw new WeirError('STATE_CORRUPT', `${source} is not a Weir snapshot: it has no checkpointId and operators`);
  }
  const operators: Record<string, OperatorSnapshot> = {};
  for (const [id, operator] of Object.entries(snapshot.operators)) operators[id] = withDecodedKeyGroups(operator, source);
  return { ...(snapshot as SubtaskSnapshot), operators };
}

/** The operator's embedded key groups decoded; anything else is left for the restore's own checks. */
function withDecodedKeyGroups(operator: OperatorSnapshot, source: string): OperatorSnapshot {
  const groups = (operator as Partial<OperatorSnapshot> | null)?.keyGroups;
  if (!Array.isArray(groups) || !groups.some((group) => group instanceof EncodedKeyGroup)) return operator;
  return { ...operator, keyGroups: groups.map((group: unknown) => (group instanceof EncodedKeyGroup ? decodeKeyGroup(group, source) : (group as OperatorKeyGroupSnapshot))) };
}

/** An embedded key group as a file written whole would hold it; STATE_CORRUPT naming `source` when it is not one. */
export function decodeKeyGroup(encoded: EncodedKeyGroup, source: string): OperatorKeyGroupSnapshot {
  const { keyGroup, state, timers } = (unpack(encoded.bytes, source) ?? {}) as Partial<CapturedKeyGroup>;
  if (typeof keyGroup !== 'number' || !Number.isInteger(keyGroup)) throw new WeirError('STATE_CORRUPT', `${source} is not a Weir snapshot: an embedded key group has no key group number`);
  return { keyGroup, state: state === null || state === undefined ? null : expandCapturedState(keyGroup, state, source), timers: timers ?? null };
}

function unpack(bytes: Uint8Array, source: string): unknown {
  try {
    return packr.unpack(bytes);
  } catch (error) {
    throw new WeirError('STATE_CORRUPT', `${source} is not a Weir snapshot: ${(error as Error).message}`, { cause: error });
  }
}

/** One batch of in-flight data, encoded now (InFlightSnapshot): later processing of its records cannot change it. */
export function encodeBatch(batch: RecordBatch): Uint8Array {
  return packr.pack([batch.records, batch.timestamps, batch.events]);
}

/** Throws STATE_CORRUPT naming `source` when the bytes are not a batch that encodeBatch wrote. */
export function decodeBatch(bytes: Uint8Array, source: string): RecordBatch {
  let value: unknown;
  try {
    value = packr.unpack(bytes);
  } catch (error) {
    throw new WeirError('STATE_CORRUPT', `${source} holds in-flight data that does not decode: ${(error as Error).message}`, { cause: error });
  }
  const [records, timestamps, events] = Array.isArray(value) ? (value as unknown[]) : [];
  if (!Array.isArray(value) || value.length !== 3 || !Array.isArray(records) || !(timestamps === null || Array.isArray(timestamps)) || !(events === null || Array.isArray(events))) {
    throw new WeirError('STATE_CORRUPT', `${source} holds in-flight data that is not a batch of records`);
  }
  return { records, timestamps: timestamps as RecordBatch['timestamps'], events: events as RecordBatch['events'] };
}
