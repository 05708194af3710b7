// The last step of a window join or coGroup before its function (Flink's WithWindow): optional
// trigger, evictor and allowedLateness, each returning a new step as Flink's do. The function then
// declares what Flink's CoGroupedStreams declares: a tagger map per input (at that input's
// parallelism, so it chains to it), their union keyed by each side's key selector, and a window
// operator whose function splits each window's records by input. The taggers keep each record's
// timestamp, so event-time windows see the records' own times; results carry the window's
// maxTimestamp().
import { WeirError } from '../../messages/errors.ts';
import type { DataStream } from '../data-stream.ts';
import { describeValue } from '../eventtime/describe-value.ts';
import type { CoGroupFunction } from '../functions.ts';
import type { Key } from '../runtime/key-groups.ts';
import { processWindowsWith } from '../windowed-stream.ts';
import type { Evictor } from '../windowing/evictors/evictor.ts';
import type { Trigger } from '../windowing/triggers/trigger.ts';
import { checkAllowedLateness, checkTriggerFitsAssigner } from '../windowing/windowing-checks.ts';
import type { Window } from '../windowing/windows/window.ts';
import { CoGroupWindowFunction } from './co-group-window-function.ts';
import type { TwoInputWindowSpec } from './key-steps.ts';
import { type TaggedUnion, tagFirst, tagSecond, unionKeySelector } from './tagged-union.ts';

type WithWindowClass<A, B, K extends Key, W extends Window> = new (spec: TwoInputWindowSpec<A, B, K, W>) => WithWindow<A, B, K, W>;

export abstract class WithWindow<A, B, K extends Key, W extends Window> {
  /** Made by equalTo().window(); not for user code. */
  constructor(protected readonly spec: TwoInputWindowSpec<A, B, K, W>) {}

  /** When windows fire and purge; the assigner's default trigger otherwise. */
  trigger(trigger: Trigger<TaggedUnion<A, B>, W>): this {
    if (typeof (trigger as Partial<Trigger<TaggedUnion<A, B>, W>> | undefined)?.onElement !== 'function') {
      throw new WeirError('INVALID_ARGUMENT', `${this.spec.operation}().trigger() needs a Trigger, got ${describeValue(trigger)}`);
    }
    checkTriggerFitsAssigner(this.spec.assigner, trigger);
    return this.with({ trigger });
  }

  /** Removes tagged records from a window before and/or after the function runs. */
  evictor(evictor: Evictor<TaggedUnion<A, B>, W>): this {
    if (typeof (evictor as Partial<Evictor<TaggedUnion<A, B>, W>> | undefined)?.evictBefore !== 'function') {
      throw new WeirError('INVALID_ARGUMENT', `${this.spec.operation}().evictor() needs an Evictor, got ${describeValue(evictor)}`);
    }
    return this.with({ evictor });
  }

  /** How long (ms of event time) after its end a window still takes late records and fires again. */
  allowedLateness(ms: number): this {
    return this.with({ allowedLateness: checkAllowedLateness(ms) });
  }

  /**
   * Declares the pipeline; `makeCoGroup(operator)` checks the user's function (naming the window
   * operator) and gives a factory of the coGroup function each subtask runs.
   */
  protected coGroupWith<R>(name: string, makeCoGroup: (operator: string) => () => CoGroupFunction<A, B, R>): DataStream<R> {
    const { input1, input2, keySelector1, keySelector2, assigner, trigger, evictor, allowedLateness } = this.spec;
    const tagged1 = input1
      .map((value: A) => tagFirst<A, B>(value))
      .name('Tag Input 1')
      .setParallelism(input1.getParallelism());
    const tagged2 = input2
      .map((value: B) => tagSecond<A, B>(value))
      .name('Tag Input 2')
      .setParallelism(input2.getParallelism());
    const windowed = tagged1.union(tagged2).keyBy(unionKeySelector(keySelector1, keySelector2)).window(assigner);
    if (trigger !== null) windowed.trigger(trigger);
    if (evictor !== null) windowed.evictor(evictor);
    windowed.allowedLateness(allowedLateness);
    return processWindowsWith<TaggedUnion<A, B>, R, K, W>(windowed, name, (operator) => {
      const makeFunction = makeCoGroup(operator);
      return () => new CoGroupWindowFunction<A, B, R, K, W>(makeFunction());
    });
  }

  private with(changes: Partial<TwoInputWindowSpec<A, B, K, W>>): this {
    const SameStep = this.constructor as WithWindowClass<A, B, K, W>;
    return new SameStep({ ...this.spec, ...changes }) as this;
  }
}
