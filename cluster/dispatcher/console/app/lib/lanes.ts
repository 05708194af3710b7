// The trace's sequence diagram: one lane (a vertical line) per actor, in order of first appearance,
// and one arrow per message from its sender's lane to its recipient's, top to bottom in time order.
import { shortActor } from './format.ts';

export interface LaneMessage {
  readonly from: string | null;
  readonly to: string;
  readonly type: string;
  readonly at: number;
}

export interface LaneArrow {
  /** Index of the sender's lane (the recipient's for a message with no known sender). */
  readonly from: number;
  readonly to: number;
  readonly type: string;
  readonly at: number;
}

export interface LaneDiagram {
  /** Actor addresses, each with its short label. */
  readonly lanes: readonly { readonly actor: string; readonly label: string }[];
  readonly arrows: readonly LaneArrow[];
  /** Messages of the span left out beyond `maxArrows`. */
  readonly omitted: number;
}

/** Actors beyond this many share the last lane, labelled "others". */
export const MAX_LANES = 10;
export const OTHERS = '(others)';

/** The diagram of `messages` (a span of the trace, oldest first), at most `maxArrows` of them. */
export function laneDiagram(messages: readonly LaneMessage[], maxArrows = 200): LaneDiagram {
  const shown = messages.slice(0, maxArrows);
  const index = new Map<string, number>();
  const lanes: { actor: string; label: string }[] = [];
  const laneOf = (actor: string): number => {
    const known = index.get(actor);
    if (known !== undefined) return known;
    if (lanes.length === MAX_LANES - 1 && !index.has(OTHERS)) {
      index.set(OTHERS, lanes.length);
      lanes.push({ actor: OTHERS, label: 'others' });
    }
    if (lanes.length >= MAX_LANES) return index.get(OTHERS) as number;
    index.set(actor, lanes.length);
    lanes.push({ actor, label: shortActor(actor) });
    return lanes.length - 1;
  };
  const arrows = shown.map((message) => {
    const from = message.from === null ? null : laneOf(message.from);
    const to = laneOf(message.to);
    return { from: from ?? to, to, type: message.type, at: message.at };
  });
  return { lanes, arrows, omitted: messages.length - shown.length };
}
