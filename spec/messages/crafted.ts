// What the structure-aware fuzz specs send to the core actors, in a fixed order for a seed: every
// mutation of every message type's valid example (to the actor that owns the type; a type no core
// actor owns to one picked by the seed), and every valid request to the core actors of the other
// protocols. Shared by the in-process wire spec and the standalone cluster's fuzz spec.
import { checkMessage } from '../../messages/codec.ts';
import { ALSO_HANDLED_BY, OWNER, type validExamples } from './examples.ts';
import { mutationsOf, seededRandom } from './mutations.ts';

export type Core = 'dispatcher' | 'resourcemanager' | 'taskmanager' | 'jobmanager';
export const CORE: readonly Core[] = ['dispatcher', 'resourcemanager', 'taskmanager', 'jobmanager'];

export interface Crafted {
  readonly target: Core;
  readonly message: unknown;
  /** Refused by its schema at decode: it never reaches an actor. */
  readonly invalid: boolean;
}

export function craftedMessages(examples: ReturnType<typeof validExamples>, seed: number): Crafted[] {
  const random = seededRandom(seed);
  const sent: Crafted[] = [];
  for (const [tag, example] of Object.entries(examples)) {
    // A type no core actor handles goes to one of them, picked by the seed.
    const target = OWNER[tag] ?? CORE[Math.floor(random() * CORE.length)];
    for (const { message } of mutationsOf(tag, example, random)) sent.push({ target, message, invalid: checkMessage(message, 'spec') !== undefined });
    const owner = OWNER[tag];
    if (owner) for (const other of CORE.filter((core) => core !== owner)) sent.push({ target: other, message: example, invalid: false });
  }
  return sent;
}

/** Whether the core actor handles messages of this type (its own protocol, or one it also answers). */
export function handles(tag: string, core: Core): boolean {
  return OWNER[tag] === core || (ALSO_HANDLED_BY[tag]?.includes(core) ?? false);
}
