// A window coGroup (Flink's CoGroupedStreams): `a.coGroup(b).where(keyOfA).equalTo(keyOfB)
// .window(assigner).apply(fn)` gives fn, per key and window, all records of each input in that
// window, in arrival order; one side may be empty (a key with records on one side only).
import type { DataStream } from '../data-stream.ts';
import type { CoGroupFunction, CoGroupFunctionLike } from '../functions.ts';
import type { Key } from '../runtime/key-groups.ts';
import { userFunctionFactory } from '../runtime/user-function.ts';
import type { Window } from '../windowing/windows/window.ts';
import { TwoStreams } from './key-steps.ts';
import { WithWindow } from './with-window.ts';

export class CoGroupedStreams<A, B> extends TwoStreams<A, B, 'coGroup'> {
  /** Made by DataStream.coGroup; not for user code. */
  constructor(input1: DataStream<A>, input2: DataStream<B>) {
    super('coGroup', input1, input2, (spec) => new CoGroupWithWindow(spec));
  }
}

export class CoGroupWithWindow<A, B, K extends Key, W extends Window> extends WithWindow<A, B, K, W> {
  /** Each key's and window's records of both inputs to `fn(first, second, out)`. */
  apply<R>(fn: CoGroupFunctionLike<A, B, R>): DataStream<R> {
    return this.coGroupWith<R>('Window CoGroup', (operator) => userFunctionFactory<CoGroupFunction<A, B, R>>(fn, 'coGroup', operator));
  }
}
