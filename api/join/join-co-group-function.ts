// A window join is a window coGroup whose function pairs every record of the first input with every
// record of the second (Flink's JoinCoGroupFunction and FlatJoinCoGroupFunction): first input
// outside, second inside, each in arrival order. A key with records on one side only joins nothing.
//
// Ownership: a record meets every record of the other side, so each join call gets a copy of it
// (copy-record.ts) but the last, which gets the record itself; a result that holds its inputs
// ({ order, payment }) is then the only owner of what it holds, as Weir promises every function.
import type { Collector, CoGroupFunction, FlatJoinFunction, JoinFunction, RuntimeContext } from '../functions.ts';
import { copyRecord } from '../runtime/copy-record.ts';
import { closeAll, openAll } from '../windowing/functions/rich-functions.ts';

/**
 * A join method that declares this many parameters takes a collector: a FlatJoinFunction. The
 * compiler agrees: a function of three parameters is not a JoinFunction (Scala's Flink API tells
 * the two apart by arity the same way).
 */
const FLAT_JOIN_ARITY = 3;

/** The user's JoinFunction or FlatJoinFunction (an instance made for one subtask) as a CoGroupFunction. */
export function joinAsCoGroup<A, B, R>(fn: JoinFunction<A, B, R> | FlatJoinFunction<A, B, R>): CoGroupFunction<A, B, R> {
  return fn.join.length >= FLAT_JOIN_ARITY ? new FlatJoinCoGroupFunction(fn as FlatJoinFunction<A, B, R>) : new JoinCoGroupFunction(fn as JoinFunction<A, B, R>);
}

/** Calls `join` once per pair, with records each call owns (see the top comment). */
function forEachPair<A, B>(first: Iterable<A>, second: Iterable<B>, join: (a: A, b: B) => void): void {
  const firsts = Array.isArray(first) ? (first as readonly A[]) : [...first];
  const seconds = Array.isArray(second) ? (second as readonly B[]) : [...second];
  const lastFirst = firsts.length - 1;
  const lastSecond = seconds.length - 1;
  for (let i = 0; i <= lastFirst; i++) {
    for (let j = 0; j <= lastSecond; j++) {
      join(j === lastSecond ? firsts[i] : copyRecord(firsts[i]), i === lastFirst ? seconds[j] : copyRecord(seconds[j]));
    }
  }
}

abstract class JoinAdapter<A, B, R, F extends JoinFunction<A, B, R> | FlatJoinFunction<A, B, R>> implements CoGroupFunction<A, B, R> {
  constructor(protected readonly fn: F) {}

  abstract coGroup(first: Iterable<A>, second: Iterable<B>, out: Collector<R>): void;

  open(context: RuntimeContext): Promise<void> {
    return openAll([this.fn], context);
  }

  close(): Promise<void> {
    return closeAll([this.fn]);
  }
}

class JoinCoGroupFunction<A, B, R> extends JoinAdapter<A, B, R, JoinFunction<A, B, R>> {
  coGroup(first: Iterable<A>, second: Iterable<B>, out: Collector<R>): void {
    forEachPair(first, second, (a, b) => out.collect(this.fn.join(a, b)));
  }
}

class FlatJoinCoGroupFunction<A, B, R> extends JoinAdapter<A, B, R, FlatJoinFunction<A, B, R>> {
  coGroup(first: Iterable<A>, second: Iterable<B>, out: Collector<R>): void {
    forEachPair(first, second, (a, b) => this.fn.join(a, b, out));
  }
}
