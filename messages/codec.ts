// The one msgpackr codec of Weir and its type registry.
// Every message that may cross a process boundary is an object with a string `type` tag registered
// here (one `registerMessages` call per protocol file). Actor refs inside messages travel as an
// extension written by the actor runtime, which resolves them again in the receiving system.
import { Packr, addExtension } from 'msgpackr';
import { WeirError } from './errors.ts';

/** msgpack extension type used for actor refs ('W'). */
export const REF_EXTENSION_TYPE = 0x57;

export { type MessageValidator, checkMessage, hasValidator, isRegisteredMessageType, registerMessages, registeredMessageTypes } from './registry.ts';
// Weir's own protocols register their types when loaded: load them all wherever the codec is used,
// so that a process never refuses a Weir message because it only imported that protocol's types.
import './protocols.ts';

// Records extension on: an array of similar objects (a coalesced frame, a record batch) is written
// with each object shape's keys once. No shared structures: every frame decodes on its own.
const packr = new Packr({ useRecords: true, mapsAsObjects: true, moreTypes: false });

export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

// A frame of one or two messages gains nothing from records (each shape occurs once) but pays for
// writing and reading a record definition; such frames are written as plain maps (decode reads both).
const plainPackr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false });

/** Encodes a frame with few objects of each shape (one envelope): plain msgpack maps, no records. */
export function encodeSmall(value: unknown): Uint8Array {
  return plainPackr.pack(value);
}

let decodeContext: unknown;

/**
 * Decodes one frame. `context` is handed to the ref extension's reader (the receiving actor system).
 * Throws MALFORMED_FRAME when the bytes are not one msgpack value.
 */
export function decode(bytes: Uint8Array, context?: unknown): unknown {
  const previous = decodeContext;
  decodeContext = context;
  try {
    return packr.unpack(bytes);
  } catch (error) {
    throw new WeirError('MALFORMED_FRAME', `cannot decode a frame of ${bytes.length} bytes: ${(error as Error).message}`, { cause: error });
  } finally {
    decodeContext = previous;
  }
}

export interface RefExtension<Ref extends object> {
  /** The base class of every ref. */
  readonly Class: abstract new (...args: never[]) => Ref;
  write(ref: Ref): readonly [path: string, uid: string];
  read(path: string, uid: string, context: unknown): Ref;
}

let refExtensionRegistered = false;

/** Installs the actor-ref extension once per process; the runtime calls it when it loads. */
export function registerRefExtension<Ref extends object>(extension: RefExtension<Ref>): void {
  if (refExtensionRegistered) return;
  refExtensionRegistered = true;
  addExtension({
    Class: extension.Class as unknown as new () => Ref,
    type: REF_EXTENSION_TYPE,
    write: (ref: Ref) => extension.write(ref),
    read: (wire: unknown) => {
      if (!Array.isArray(wire) || typeof wire[0] !== 'string' || typeof wire[1] !== 'string') {
        throw new WeirError('MALFORMED_FRAME', 'an actor ref in a frame is not [path, uid]');
      }
      return extension.read(wire[0], wire[1], decodeContext);
    },
  });
}
