// The builder of an interval join (Flink's KeyedStream.IntervalJoin and IntervalJoined):
//   a.keyBy(k).intervalJoin(b.keyBy(k)).between(lower, upper)
//     [.lowerBoundExclusive()][.upperBoundExclusive()]
//     [.sideOutputLeftLateData(tag)][.sideOutputRightLateData(tag)]
//     .process(fn)
// joins each record of a at time t with every record of b of its key at a time in
// [t + lower, t + upper], in event time (see operators/interval-join.ts). Bounds are checked where
// they are declared: whole ms, lower <= upper, and not empty once exclusive.
import { WeirError } from '../messages/errors.ts';
import { DataStream } from './data-stream.ts';
import { declareOperator } from './declared-operator.ts';
import { describeValue } from './eventtime/describe-value.ts';
import type { ProcessJoinFunction, ProcessJoinFunctionLike, SideOutputTag } from './functions.ts';
import type { StreamGraph } from './graph/stream-graph.ts';
import type { KeySelector, Transformation } from './graph/transformation.ts';
import { INTERVAL_JOIN_KIND, IntervalJoinOperator, type IntervalJoinSettings } from './operators/interval-join.ts';
import type { Output } from './runtime/chain.ts';
import type { Key } from './runtime/key-groups.ts';
import { userFunctionFactory } from './runtime/user-function.ts';

/** The two keyed streams of a join: made by KeyedStream.intervalJoin; not for user code. */
export interface JoinInputs {
  readonly graph: StreamGraph;
  readonly left: Transformation;
  readonly right: Transformation;
  readonly keySelectors: readonly [left: KeySelector, right: KeySelector];
}

export class IntervalJoin<A, B, K extends Key> {
  /** Made by KeyedStream.intervalJoin; not for user code. */
  constructor(private readonly inputs: JoinInputs) {}

  /**
   * Joins a left record at t with the right records at t + lowerBoundMs .. t + upperBoundMs (both
   * inclusive unless made exclusive); bounds may be negative.
   */
  between(lowerBoundMs: number, upperBoundMs: number): IntervalJoined<A, B, K> {
    const call = `intervalJoin().between(${describeValue(lowerBoundMs)}, ${describeValue(upperBoundMs)})`;
    for (const bound of [lowerBoundMs, upperBoundMs]) {
      if (!Number.isSafeInteger(bound)) throw new WeirError('INVALID_ARGUMENT', `${call}: the bounds are whole ms, got ${describeValue(bound)}`);
    }
    if (lowerBoundMs > upperBoundMs) throw new WeirError('INVALID_ARGUMENT', `${call}: the lower bound ${lowerBoundMs} is greater than the upper bound ${upperBoundMs}`);
    return new IntervalJoined<A, B, K>(this.inputs, lowerBoundMs, upperBoundMs);
  }
}

export class IntervalJoined<A, B, K extends Key> {
  private lowerBoundInclusive = true;
  private upperBoundInclusive = true;
  private leftLateDataTag: string | undefined = undefined;
  private rightLateDataTag: string | undefined = undefined;

  /** Made by IntervalJoin.between; not for user code. */
  constructor(
    private readonly inputs: JoinInputs,
    private readonly lowerBound: number,
    private readonly upperBound: number,
  ) {}

  /** A right record exactly at t + lower does not join. */
  lowerBoundExclusive(): this {
    this.lowerBoundInclusive = false;
    return this;
  }

  /** A right record exactly at t + upper does not join. */
  upperBoundExclusive(): this {
    this.upperBoundInclusive = false;
    return this;
  }

  /** Left records that arrive behind the watermark go to `tag` (read with getSideOutput) instead of being dropped. */
  sideOutputLeftLateData(tag: SideOutputTag<A>): this {
    this.leftLateDataTag = checkTag(tag, 'sideOutputLeftLateData');
    return this;
  }

  /** Right records that arrive behind the watermark go to `tag` instead of being dropped. */
  sideOutputRightLateData(tag: SideOutputTag<B>): this {
    this.rightLateDataTag = checkTag(tag, 'sideOutputRightLateData');
    return this;
  }

  /** Calls `fn(left, right, ctx, out)` once per joined pair; what it emits carries the pair's timestamp. */
  process<R>(fn: ProcessJoinFunctionLike<A, B, R>): DataStream<R> {
    const { graph, left, right, keySelectors } = this.inputs;
    const settings: IntervalJoinSettings = {
      lowerBound: this.lowerBound,
      upperBound: this.upperBound,
      lowerBoundInclusive: this.lowerBoundInclusive,
      upperBoundInclusive: this.upperBoundInclusive,
      leftLateDataTag: this.leftLateDataTag,
      rightLateDataTag: this.rightLateDataTag,
    };
    const declared = declareOperator(graph, {
      role: 'operator',
      kind: INTERVAL_JOIN_KIND,
      name: 'Interval Join',
      config: configOf(settings),
      inputs: [left, right],
      factory: (operator) => {
        const lower = settings.lowerBoundInclusive ? settings.lowerBound : settings.lowerBound + 1;
        const upper = settings.upperBoundInclusive ? settings.upperBound : settings.upperBound - 1;
        if (lower > upper) {
          throw new WeirError('INVALID_ARGUMENT', `${operator}: ${describeBounds(settings)} joins no pair: an exclusive bound leaves no whole ms between the bounds`);
        }
        const factory = userFunctionFactory<ProcessJoinFunction<A, B, R>>(fn, 'processElement', operator);
        return (runtime, output) => new IntervalJoinOperator<K, A, B, R>(runtime, factory, keySelectors, settings, output as Output<R>);
      },
    });
    return new DataStream<R>(graph, declared);
  }
}

function checkTag(tag: SideOutputTag<unknown>, method: string): string {
  if (typeof tag?.id !== 'string') throw new WeirError('INVALID_ARGUMENT', `intervalJoin().${method}() needs an OutputTag, got ${describeValue(tag)}`);
  return tag.id;
}

/** `between(5, 5) with both bounds exclusive`. */
function describeBounds(settings: IntervalJoinSettings): string {
  const exclusive = [!settings.lowerBoundInclusive && 'lower', !settings.upperBoundInclusive && 'upper'].filter(Boolean);
  const which = exclusive.length === 2 ? 'both bounds exclusive' : `an exclusive ${exclusive[0]} bound`;
  return `between(${settings.lowerBound}, ${settings.upperBound}) with ${which}`;
}

/** The operator's config in the job graph: plain data. */
function configOf(settings: IntervalJoinSettings): Record<string, unknown> {
  const { leftLateDataTag, rightLateDataTag, ...bounds } = settings;
  return { ...bounds, ...(leftLateDataTag === undefined ? {} : { leftLateDataTag }), ...(rightLateDataTag === undefined ? {} : { rightLateDataTag }) };
}
