// How a subtask snapshot is written to a file: msgpack with records (objects stay objects), Maps as
// Maps and Weir's data types (Set, Date, BigInt, undefined, -Infinity) kept, so that user state
// restores as the value it was. One encoding for the Task's files and for specs' round trips.
import { Packr } from 'msgpackr';
import { WeirError } from '../../../messages/errors.ts';
import type { RecordBatch } from '../subtask.ts';
import type { SubtaskSnapshot } from './snapshot.ts';

const packr = new Packr({ useRecords: true, mapsAsObjects: false, moreTypes: true });

export function encodeSnapshot(snapshot: SubtaskSnapshot): Uint8Array {
  return packr.pack(snapshot);
}

/** Throws STATE_CORRUPT naming `source` (a file) when the bytes are not a subtask snapshot. */
export function decodeSnapshot(bytes: Uint8Array, source: string): SubtaskSnapshot {
  let value: unknown;
  try {
    value = packr.unpack(bytes);
  } catch (error) {
    throw new WeirError('STATE_CORRUPT', `${source} is not a Weir snapshot: ${(error as Error).message}`, { cause: error });
  }
  const snapshot = value as Partial<SubtaskSnapshot> | null;
  if (typeof snapshot !== 'object' || snapshot === null || !Number.isSafeInteger(snapshot.checkpointId) || typeof snapshot.operators !== 'object' || snapshot.operators === null) {
    throw new WeirError('STATE_CORRUPT', `${source} is not a Weir snapshot: it has no checkpointId and operators`);
  }
  return snapshot as SubtaskSnapshot;
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
