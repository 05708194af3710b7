// The registry of message type tags: every message that may cross a process boundary is an object
// with a string `type` tag registered here (one `registerMessages` call per protocol file), with
// its schema's validator (messages/schema.ts). Remoting checks every message it sends and decodes.
import { WeirError } from './errors.ts';
import { describeValue } from './schema.ts';

/**
 * Checks the fields of a decoded message; returns a description of the problem starting with the
 * field path (`SubmitJob.jobId: expected ..., got "a/b"`), or undefined.
 */
export type MessageValidator = (msg: Readonly<Record<string, unknown>>) => string | undefined;

const registry = new Map<string, MessageValidator | null>();

/** Registers the type tags of one protocol. A validator, where given, checks a decoded message. */
export function registerMessages(tags: readonly string[] | Readonly<Record<string, MessageValidator>>): void {
  if (Array.isArray(tags)) {
    for (const tag of tags as readonly string[]) registry.set(tag, registry.get(tag) ?? null);
  } else {
    for (const [tag, validate] of Object.entries(tags as Readonly<Record<string, MessageValidator>>)) {
      registry.set(tag, validate);
    }
  }
}

export function isRegisteredMessageType(tag: string): boolean {
  return registry.has(tag);
}

/** Every registered tag, in registration order (specs check that each has a schema and an example). */
export function registeredMessageTypes(): string[] {
  return [...registry.keys()];
}

/** Whether a tag was registered with a validator (a schema), not only as a name. */
export function hasValidator(tag: string): boolean {
  return typeof registry.get(tag) === 'function';
}

/**
 * Checks a decoded message against the registry. Returns a WeirError naming the problem (and `origin`,
 * e.g. the peer address) for a value that is not a registered, valid message; undefined when it is.
 */
export function checkMessage(msg: unknown, origin: string): WeirError | undefined {
  if (typeof msg !== 'object' || msg === null || typeof (msg as { type?: unknown }).type !== 'string') {
    return new WeirError('INVALID_MESSAGE', `invalid message from ${origin}: no string "type" tag in ${describeValue(msg)}`);
  }
  const tag = (msg as { type: string }).type;
  // One lookup, not has() + get(): a tag decoded off the wire is a fresh string, hashed per lookup.
  const validate = registry.get(tag);
  if (validate === undefined) {
    return new WeirError('UNKNOWN_MESSAGE_TYPE', `no codec for type "${tag}" from ${origin}`);
  }
  const problem = validate ? validate(msg as Record<string, unknown>) : undefined;
  if (problem !== undefined) {
    return new WeirError('INVALID_MESSAGE', `invalid message from ${origin}: ${problem}`);
  }
  return undefined;
}

