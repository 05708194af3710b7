// The first steps of a window join or coGroup (Flink's JoinedStreams / CoGroupedStreams, Where and
// EqualTo): `a.join(b).where(keyOfA).equalTo(keyOfB).window(assigner)`. Each step is its own type,
// so a step left out does not compile; each argument is checked where it is given, and an error
// names the operation and the step (`join().where() needs ...`). The two key selectors return the
// key type K: records join when their keys are equal as Map keys (1 and "1" are not).
import { WeirError } from '../../messages/errors.ts';
import type { DataStream } from '../data-stream.ts';
import { describeValue } from '../eventtime/describe-value.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { WindowAssigner } from '../windowing/assigners/window-assigner.ts';
import type { Evictor } from '../windowing/evictors/evictor.ts';
import type { Trigger } from '../windowing/triggers/trigger.ts';
import type { Window } from '../windowing/windows/window.ts';
import type { CoGroupWithWindow } from './co-grouped-streams.ts';
import type { JoinWithWindow } from './joined-streams.ts';
import type { TaggedUnion } from './tagged-union.ts';

/** What window() makes, by operation. */
export interface WithWindowOf<A, B, K extends Key, W extends Window> {
  join: JoinWithWindow<A, B, K, W>;
  coGroup: CoGroupWithWindow<A, B, K, W>;
}

export type TwoInputOperation = keyof WithWindowOf<never, never, never, never>;

/** Everything a window join or coGroup knows before its function (Flink's WithWindow fields). */
export interface TwoInputWindowSpec<A, B, K extends Key, W extends Window> {
  readonly operation: TwoInputOperation;
  readonly input1: DataStream<A>;
  readonly input2: DataStream<B>;
  readonly keySelector1: (value: A) => K;
  readonly keySelector2: (value: B) => K;
  readonly assigner: WindowAssigner<TaggedUnion<A, B>, W>;
  /** null: the assigner's default trigger. */
  readonly trigger: Trigger<TaggedUnion<A, B>, W> | null;
  readonly evictor: Evictor<TaggedUnion<A, B>, W> | null;
  /** ms of event time. */
  readonly allowedLateness: number;
}

/** The two inputs, and how window() makes the operation's next step. */
interface TwoInputs<A, B, Op extends TwoInputOperation> {
  readonly operation: Op;
  readonly input1: DataStream<A>;
  readonly input2: DataStream<B>;
  readonly withWindow: <K extends Key, W extends Window>(spec: TwoInputWindowSpec<A, B, K, W>) => WithWindowOf<A, B, K, W>[Op];
}

/** JoinedStreams and CoGroupedStreams: two streams, waiting for the first input's key selector. */
export abstract class TwoStreams<A, B, Op extends TwoInputOperation> {
  private readonly inputs: TwoInputs<A, B, Op>;

  protected constructor(operation: Op, input1: DataStream<A>, input2: DataStream<B>, withWindow: TwoInputs<A, B, Op>['withWindow']) {
    // The job's own streams come from one copy of the API: a shape check, not instanceof.
    if (typeof (input2 as Partial<DataStream<B>> | undefined)?.union !== 'function') {
      throw new WeirError('INVALID_ARGUMENT', `${operation}() needs the DataStream to ${operation === 'join' ? 'join with' : 'coGroup with'}, got ${describeValue(input2)}`);
    }
    this.inputs = { operation, input1, input2, withWindow };
  }

  /** The key of each record of the first input (this stream). */
  where<K extends Key>(keySelector: (value: A) => K): Where<A, B, K, Op> {
    return new Where<A, B, K, Op>(this.inputs, checkKeySelector(keySelector, this.inputs.operation, 'where'));
  }
}

/** The first input's key is known; the second's comes next. */
export class Where<A, B, K extends Key, Op extends TwoInputOperation> {
  /** Made by join().where() / coGroup().where(); not for user code. */
  constructor(
    private readonly inputs: TwoInputs<A, B, Op>,
    private readonly keySelector1: (value: A) => K,
  ) {}

  /** The key of each record of the second input, of the first input's key type. */
  equalTo(keySelector: (value: B) => K): EqualTo<A, B, K, Op> {
    return new EqualTo<A, B, K, Op>(this.inputs, this.keySelector1, checkKeySelector(keySelector, this.inputs.operation, 'equalTo'));
  }
}

/** Both keys are known; the windows come next. */
export class EqualTo<A, B, K extends Key, Op extends TwoInputOperation> {
  /** Made by where().equalTo(); not for user code. */
  constructor(
    private readonly inputs: TwoInputs<A, B, Op>,
    private readonly keySelector1: (value: A) => K,
    private readonly keySelector2: (value: B) => K,
  ) {}

  /** The windows both inputs' records of a key fall into, together (tumbling, sliding, session, global...). */
  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<A, B>, W>): WithWindowOf<A, B, K, W>[Op] {
    const { operation, input1, input2, withWindow } = this.inputs;
    if (typeof (assigner as Partial<WindowAssigner<TaggedUnion<A, B>, W>> | undefined)?.assignWindows !== 'function') {
      throw new WeirError(
        'INVALID_ARGUMENT',
        `${operation}().window() needs a WindowAssigner (TumblingEventTimeWindows.of(...), EventTimeSessionWindows.withGap(...), ...), got ${describeValue(assigner)}`,
      );
    }
    const { keySelector1, keySelector2 } = this;
    return withWindow<K, W>({ operation, input1, input2, keySelector1, keySelector2, assigner, trigger: null, evictor: null, allowedLateness: 0 });
  }
}

function checkKeySelector<F>(keySelector: F, operation: TwoInputOperation, step: string): F {
  if (typeof keySelector !== 'function') throw new WeirError('INVALID_FUNCTION', `${operation}().${step}() needs a key selector function, got ${describeValue(keySelector)}`);
  return keySelector;
}
