// A window join (Flink's JoinedStreams): `a.join(b).where(keyOfA).equalTo(keyOfB)
// .window(assigner).apply(fn)` pairs, per key and window, every record of the first input with
// every record of the second: an inner join, evaluated as a coGroup (join-co-group-function.ts).
import type { DataStream } from '../data-stream.ts';
import type { FlatJoinFunction, FlatJoinFunctionLike, JoinFunction, JoinFunctionLike, NotPromise } from '../functions.ts';
import type { Key } from '../runtime/key-groups.ts';
import { userFunctionFactory } from '../runtime/user-function.ts';
import type { Window } from '../windowing/windows/window.ts';
import { joinAsCoGroup } from './join-co-group-function.ts';
import { TwoStreams } from './key-steps.ts';
import { WithWindow } from './with-window.ts';

export class JoinedStreams<A, B> extends TwoStreams<A, B, 'join'> {
  /** Made by DataStream.join; not for user code. */
  constructor(input1: DataStream<A>, input2: DataStream<B>) {
    super('join', input1, input2, (spec) => new JoinWithWindow(spec));
  }
}

export class JoinWithWindow<A, B, K extends Key, W extends Window> extends WithWindow<A, B, K, W> {
  /**
   * One result per pair, `fn(first, second)` (a JoinFunction); or, when the function (its join
   * method) declares a third parameter, any number through `fn(first, second, out)` (a FlatJoinFunction).
   */
  apply<R>(fn: JoinFunctionLike<A, B, R & NotPromise<R>>): DataStream<R>;
  apply<R>(fn: FlatJoinFunctionLike<A, B, R>): DataStream<R>;
  apply<R>(fn: JoinFunctionLike<A, B, R> | FlatJoinFunctionLike<A, B, R>): DataStream<R> {
    return this.coGroupWith<R>('Window Join', (operator) => {
      const factory = userFunctionFactory<JoinFunction<A, B, R> | FlatJoinFunction<A, B, R>>(fn, 'join', operator);
      return () => joinAsCoGroup(factory());
    });
  }
}
