// A window join is a window coGroup whose function pairs every record of the first input with every
// record of the second (Flink's JoinCoGroupFunction and FlatJoinCoGroupFunction): first input
// outside, second inside, each in arrival order. A key with records on one side only joins nothing.
import type { Collector, CoGroupFunction, FlatJoinFunction, JoinFunction, RuntimeContext } from '../functions.ts';
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

class JoinCoGroupFunction<A, B, R> implements CoGroupFunction<A, B, R> {
  constructor(private readonly fn: JoinFunction<A, B, R>) {}

  coGroup(first: Iterable<A>, second: Iterable<B>, out: Collector<R>): void {
    for (const a of first) for (const b of second) out.collect(this.fn.join(a, b));
  }

  open(context: RuntimeContext): Promise<void> {
    return openAll([this.fn], context);
  }

  close(): Promise<void> {
    return closeAll([this.fn]);
  }
}

class FlatJoinCoGroupFunction<A, B, R> implements CoGroupFunction<A, B, R> {
  constructor(private readonly fn: FlatJoinFunction<A, B, R>) {}

  coGroup(first: Iterable<A>, second: Iterable<B>, out: Collector<R>): void {
    for (const a of first) for (const b of second) this.fn.join(a, b, out);
  }

  open(context: RuntimeContext): Promise<void> {
    return openAll([this.fn], context);
  }

  close(): Promise<void> {
    return closeAll([this.fn]);
  }
}
