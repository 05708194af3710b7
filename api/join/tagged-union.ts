// The records of a window join or coGroup on their way to its window operator (Flink's
// CoGroupedStreams.TaggedUnion): each input's records are tagged with the input they came from, the
// two tagged streams are united and keyed by each side's own key selector. Plain data, so a tagged
// record crosses the network like any other; its timestamp is the record's own.
import type { Key } from '../runtime/key-groups.ts';

/** A record of the first or second input of a join or coGroup: what its window's trigger and evictor see. */
export type TaggedUnion<A, B> = { readonly input: 1; readonly value: A } | { readonly input: 2; readonly value: B };

/** The first input's tagger (Flink's Input1Tagger). */
export function tagFirst<A, B>(value: A): TaggedUnion<A, B> {
  return { input: 1, value };
}

/** The second input's tagger (Flink's Input2Tagger). */
export function tagSecond<A, B>(value: B): TaggedUnion<A, B> {
  return { input: 2, value };
}

/** Each tagged record's key by its own input's key selector (Flink's UnionKeySelector). */
export function unionKeySelector<A, B, K extends Key>(first: (value: A) => K, second: (value: B) => K): (tagged: TaggedUnion<A, B>) => K {
  return (tagged) => (tagged.input === 1 ? first(tagged.value) : second(tagged.value));
}
