// WindowedStream (Flink's): `keyBy(...).window(assigner)`, configured with trigger / evictor /
// allowedLateness / sideOutputLateData, and closed by the function that evaluates each window:
// reduce or aggregate (incremental: a window keeps one value), either one followed by a process
// function, process / apply (the window keeps its records), or the built-in sum / min / max / minBy
// / maxBy. With an evictor every window keeps its records and reduce / aggregate run at fire time.
// AllWindowedStream is the same over a whole stream (windowAll): one window operator at parallelism 1.
import { WeirError } from '../messages/errors.ts';
import type { DataStream } from './data-stream.ts';
import type { AggregateFunction, ReduceFunction, ReduceFunctionLike, RichFunction } from './functions.ts';
import type { KeySelector, OperatorFactory } from './graph/transformation.ts';
import type { ComparableField, NumericField } from './keyed-stream.ts';
import { type AggregationKind, type FieldName, AGGREGATION_NAMES, aggregation } from './operators/aggregations.ts';
import { AlignedWindowOperator, type AlignedWindowSpec, isAlignedEventTimeAssigner } from './operators/aligned-window-operator.ts';
import { WINDOW_CONTENTS_STATE, WINDOW_KIND, WindowOperator, type WindowOperatorSpec } from './operators/window-operator.ts';
import type { OutputTag } from './output-tag.ts';
import type { Output } from './runtime/chain.ts';
import type { Key } from './runtime/key-groups.ts';
import { userFunctionFactory } from './runtime/user-function.ts';
import { AggregatingStateDescriptor, ListStateDescriptor, ReducingStateDescriptor, type StateDescriptor } from './state/descriptors.ts';
import type { AppendingState } from './state/state.ts';
import type { WindowAssigner } from './windowing/assigners/window-assigner.ts';
import type { Evictor } from './windowing/evictors/evictor.ts';
import { aggregateApply, passThroughProcessWindowFunction, reduceApply } from './windowing/functions/apply-functions.ts';
import {
  type InternalWindowFunction,
  asProcessWindowFunction,
  iterableWindowFunction,
  passThroughWindowFunction,
  singleValueWindowFunction,
} from './windowing/functions/internal-window-function.ts';
import type { ProcessWindowFunction, ProcessWindowFunctionLike, WindowFunction, WindowFunctionLike } from './windowing/functions/process-window-function.ts';
import { closeAll, openAll } from './windowing/functions/rich-functions.ts';
import type { Trigger } from './windowing/triggers/trigger.ts';
import { checkAllowedLateness, checkTriggerFitsAssigner } from './windowing/windowing-checks.ts';
import type { TimeWindow } from './windowing/windows/time-window.ts';
import type { Window } from './windowing/windows/window.ts';

/** Declares the window operator on the keyed stream (KeyedStream's oneInput). */
export type DeclareWindow = <R>(name: string, factory: (operator: string) => OperatorFactory, config: Record<string, unknown>) => DataStream<R>;

/** What a window keeps and how it is evaluated, made per subtask (the functions are per subtask). */
interface Evaluation<T, R, K, W extends Window> {
  /**
   * reduce / aggregate / sum... with no window function and no evictor: the contents descriptor and
   * the functions to open, for the aligned fast path (AlignedWindowOperator); undefined otherwise.
   */
  readonly aligned?: () => { readonly contents: StateDescriptor<AppendingState<T, R>>; readonly rich: readonly RichFunction[] };
  /** The user functions to instantiate per subtask; each call gives fresh ones. */
  build(): {
    readonly contents: WindowOperatorSpec<T, unknown, R, K, W>['contents'];
    readonly windowFunction: InternalWindowFunction<unknown, R, K, W>;
    readonly singleValue: boolean;
  };
}

/**
 * process() with a function made per subtask by `makeFactory(operator)` (windowAll's forms, which
 * userFunctionFactory cannot adapt); set by WindowedStream's static block.
 */
export let processWindowsWith: <T, R, K extends Key, W extends Window>(
  windowed: WindowedStream<T, K, W>,
  name: string,
  makeFactory: (operator: string) => () => ProcessWindowFunction<T, R, K, W>,
) => DataStream<R>;

export class WindowedStream<T, K extends Key, W extends Window> {
  private windowTrigger: Trigger<T, W> | null = null;
  private windowEvictor: Evictor<T, W> | null = null;
  private lateness = 0;
  private lateDataTag: string | null = null;

  /** Made by KeyedStream.window / countWindow; not for user code. */
  constructor(
    private readonly declare: DeclareWindow,
    private readonly keySelector: KeySelector,
    private readonly assigner: WindowAssigner<T, W>,
  ) {
    if (typeof (assigner as Partial<WindowAssigner<T, W>>)?.assignWindows !== 'function') {
      throw new WeirError('INVALID_ARGUMENT', `window() needs a WindowAssigner (TumblingEventTimeWindows.of(...), EventTimeSessionWindows.withGap(...), ...), got ${describe(assigner)}`);
    }
  }

  /** When windows fire and purge; the assigner's default trigger otherwise. */
  trigger(trigger: Trigger<T, W>): this {
    if (typeof (trigger as Partial<Trigger<T, W>>)?.onElement !== 'function') throw new WeirError('INVALID_ARGUMENT', `trigger() needs a Trigger, got ${describe(trigger)}`);
    checkTriggerFitsAssigner(this.assigner, trigger);
    this.windowTrigger = trigger;
    return this;
  }

  /** Removes records from a window before and/or after its function runs; the window keeps every record. */
  evictor(evictor: Evictor<T, W>): this {
    if (typeof (evictor as Partial<Evictor<T, W>>)?.evictBefore !== 'function') throw new WeirError('INVALID_ARGUMENT', `evictor() needs an Evictor, got ${describe(evictor)}`);
    this.windowEvictor = evictor;
    return this;
  }

  /** How long (ms of event time) after its end a window still takes late records and fires again. */
  allowedLateness(ms: number): this {
    this.lateness = checkAllowedLateness(ms);
    return this;
  }

  /** Late records that no window takes go to this side output (read it with getSideOutput) instead of being dropped. */
  sideOutputLateData(tag: OutputTag<T>): this {
    if (typeof tag?.id !== 'string') throw new WeirError('INVALID_ARGUMENT', `sideOutputLateData() needs an OutputTag, got ${describe(tag)}`);
    this.lateDataTag = tag.id;
    return this;
  }

  /** Each window's records reduced to one (incrementally); with `windowFunction`, that one result goes to it. */
  reduce(fn: ReduceFunctionLike<T>): DataStream<T>;
  reduce<R>(fn: ReduceFunctionLike<T>, windowFunction: ProcessWindowFunctionLike<T, R, K, W>): DataStream<R>;
  reduce<R>(fn: ReduceFunctionLike<T>, windowFunction?: ProcessWindowFunctionLike<T, R, K, W>): DataStream<R> | DataStream<T> {
    return this.evaluate<R>('Window Reduce', (operator) => {
      const reduceFactory = userFunctionFactory<ReduceFunction<T>>(fn, 'reduce', operator);
      const then = windowFunction === undefined ? undefined : userFunctionFactory<ProcessWindowFunction<T, R, K, W>>(windowFunction, 'process', operator);
      return this.incremental<R, T>(
        () => {
          const reduce = reduceFactory();
          return { descriptor: new ReducingStateDescriptor<T>(WINDOW_CONTENTS_STATE, reduce), rich: [reduce], reduceApply: (process) => reduceApply(reduce, process) };
        },
        then,
      );
    });
  }

  /** Each window's records folded into an accumulator (incrementally); with `windowFunction`, the result goes to it. */
  aggregate<ACC, V>(fn: AggregateFunction<T, ACC, V>): DataStream<V>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, windowFunction: ProcessWindowFunctionLike<V, R, K, W>): DataStream<R>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, windowFunction?: ProcessWindowFunctionLike<V, R, K, W>): DataStream<R> | DataStream<V> {
    return this.evaluate<R>('Window Aggregate', (operator) => {
      const aggregateFactory = userFunctionFactory<AggregateFunction<T, ACC, V>>(fn, ['createAccumulator', 'add', 'getResult', 'merge'], operator);
      const then = windowFunction === undefined ? undefined : userFunctionFactory<ProcessWindowFunction<V, R, K, W>>(windowFunction, 'process', operator);
      return this.incremental<R, V>(() => {
        const aggregate = aggregateFactory();
        return {
          descriptor: new AggregatingStateDescriptor<T, ACC, V>(WINDOW_CONTENTS_STATE, aggregate),
          rich: [aggregate],
          reduceApply: (process) => aggregateApply(aggregate, process),
        };
      }, then);
    });
  }

  /** Each window's records, all of them, to a process function (with the window, its state and side outputs). */
  process<R>(fn: ProcessWindowFunctionLike<T, R, K, W>): DataStream<R> {
    return this.evaluate<R>('Window Process', (operator) => {
      const factory = userFunctionFactory<ProcessWindowFunction<T, R, K, W>>(fn, 'process', operator);
      return this.listEvaluation(() => factory());
    });
  }

  /** The older form of process (Flink's WindowFunction): key, window, records, collector. */
  apply<R>(fn: WindowFunctionLike<T, R, K, W>): DataStream<R> {
    return this.evaluate<R>('Window Apply', (operator) => {
      const factory = userFunctionFactory<WindowFunction<T, R, K, W>>(fn, 'apply', operator);
      return this.listEvaluation(() => asProcessWindowFunction(factory()));
    });
  }

  /** The sum of each window's records (numbers), or of one numeric field (keeping the first record's other fields). */
  sum(this: WindowedStream<number, K, W>): DataStream<number>;
  sum<F extends keyof T>(field: NumericField<T, F>): DataStream<T>;
  sum(field?: FieldName): DataStream<T> | DataStream<number> {
    return this.builtIn('sum', field);
  }

  min(this: WindowedStream<number, K, W>): DataStream<number>;
  min<F extends keyof T>(field: ComparableField<T, F>): DataStream<T>;
  min(field?: FieldName): DataStream<T> | DataStream<number> {
    return this.builtIn('min', field);
  }

  max(this: WindowedStream<number, K, W>): DataStream<number>;
  max<F extends keyof T>(field: ComparableField<T, F>): DataStream<T>;
  max(field?: FieldName): DataStream<T> | DataStream<number> {
    return this.builtIn('max', field);
  }

  minBy(this: WindowedStream<number, K, W>): DataStream<number>;
  minBy<F extends keyof T>(field: ComparableField<T, F>): DataStream<T>;
  minBy(field?: FieldName): DataStream<T> | DataStream<number> {
    return this.builtIn('min-by', field);
  }

  maxBy(this: WindowedStream<number, K, W>): DataStream<number>;
  maxBy<F extends keyof T>(field: ComparableField<T, F>): DataStream<T>;
  maxBy(field?: FieldName): DataStream<T> | DataStream<number> {
    return this.builtIn('max-by', field);
  }

  static {
    processWindowsWith = (windowed, name, makeFactory) => windowed.evaluate(name, (operator) => windowed.listEvaluation(makeFactory(operator)));
  }

  /** The built-in aggregations as an AggregateFunction: a private copy of the first record, updated in place. */
  private builtIn(kind: AggregationKind, field: FieldName | undefined): DataStream<T> {
    return this.evaluate<T>(`Window ${AGGREGATION_NAMES[kind]}`, (operator) => {
      const { reduce, firstValue } = aggregation<T>(kind, field, operator, true);
      const first = firstValue ?? ((value: T) => value);
      const aggregate: AggregateFunction<T, T | null, T> = {
        createAccumulator: () => null,
        add: (value, accumulator) => (accumulator === null ? first(value) : reduce.reduce(accumulator, value)),
        getResult: (accumulator) => accumulator as T,
        merge: (a, b) => (a === null ? b : b === null ? a : reduce.reduce(a, b as T)),
      };
      return this.incremental<T, T>(
        () => ({
          descriptor: new AggregatingStateDescriptor<T, T | null, T>(WINDOW_CONTENTS_STATE, aggregate),
          rich: [],
          reduceApply: (process) => aggregateApply(aggregate, process),
        }),
        undefined,
      );
    }, { aggregation: kind, ...(field === undefined ? {} : { field }) });
  }

  /** reduce / aggregate: one value per window, or (with an evictor) every record, reduced at fire time. */
  private incremental<R, V>(
    make: () => {
      readonly descriptor: ReducingStateDescriptor<T> | AggregatingStateDescriptor<T, never, V> | AggregatingStateDescriptor<T, unknown, V>;
      readonly rich: readonly (ReduceFunction<T> | AggregateFunction<T, never, V> | AggregateFunction<T, unknown, V>)[];
      readonly reduceApply: (process: ProcessWindowFunction<V, R, K, W>) => ProcessWindowFunction<T, R, K, W>;
    },
    then: (() => ProcessWindowFunction<V, R, K, W>) | undefined,
  ): Evaluation<T, R, K, W> {
    const evicting = this.windowEvictor !== null;
    const aligned =
      then === undefined && !evicting
        ? () => {
            const made = make();
            return { contents: made.descriptor as unknown as StateDescriptor<AppendingState<T, R>>, rich: made.rich as readonly RichFunction[] };
          }
        : undefined;
    return {
      ...(aligned ? { aligned } : {}),
      build: () => {
        const made = make();
        const process = then === undefined ? (passThroughProcessWindowFunction<V, K, W>() as unknown as ProcessWindowFunction<V, R, K, W>) : then();
        if (evicting) return { contents: null, windowFunction: iterableWindowFunction(made.reduceApply(process)) as InternalWindowFunction<unknown, R, K, W>, singleValue: false };
        const evaluate = then === undefined ? (passThroughWindowFunction<V, K, W>() as unknown as InternalWindowFunction<V, R, K, W>) : singleValueWindowFunction(process);
        return {
          contents: made.descriptor as unknown as WindowOperatorSpec<T, unknown, R, K, W>['contents'],
          windowFunction: openingToo(evaluate, made.rich) as InternalWindowFunction<unknown, R, K, W>,
          singleValue: true,
        };
      },
    };
  }

  /** process / apply: the window keeps its records (with their timestamps when an evictor trims them). */
  private listEvaluation<R>(make: () => ProcessWindowFunction<T, R, K, W>): Evaluation<T, R, K, W> {
    const evicting = this.windowEvictor !== null;
    return {
      build: () => ({
        contents: evicting ? null : (new ListStateDescriptor<T>(WINDOW_CONTENTS_STATE) as unknown as WindowOperatorSpec<T, unknown, R, K, W>['contents']),
        windowFunction: iterableWindowFunction(make()) as InternalWindowFunction<unknown, R, K, W>,
        singleValue: false,
      }),
    };
  }

  private evaluate<R>(name: string, evaluation: (operator: string) => Evaluation<T, R, K, W>, config: Record<string, unknown> = {}): DataStream<R> {
    const { assigner, keySelector } = this;
    const trigger = this.windowTrigger ?? assigner.getDefaultTrigger();
    checkTriggerFitsAssigner(assigner, trigger);
    const evictor = this.windowEvictor;
    const allowedLateness = this.lateness;
    const lateDataTag = this.lateDataTag;
    const settings = { assigner: String(assigner), trigger: String(trigger), allowedLateness, evictor: evictor === null ? null : String(evictor), ...config };
    return this.declare<R>(
      name,
      (operator) => {
        const evaluate = evaluation(operator);
        const aligned = evaluate.aligned;
        if (aligned !== undefined && this.windowTrigger === null && isAlignedEventTimeAssigner(assigner as WindowAssigner<unknown, never>)) {
          return (runtime, output) => {
            const { contents, rich } = aligned();
            const spec: AlignedWindowSpec<T, R> = { keySelector, assigner: assigner as unknown as WindowAssigner<T, TimeWindow>, allowedLateness, lateDataTag, contents, rich };
            return new AlignedWindowOperator<T, R, K>(runtime, spec, output as Output<R>);
          };
        }
        return (runtime, output) => {
          const built = evaluate.build();
          const spec: WindowOperatorSpec<T, unknown, R, K, W> = { keySelector, assigner, trigger, allowedLateness, lateDataTag, evictor, ...built };
          return new WindowOperator<T, unknown, R, K, W>(runtime, spec, output as Output<R>);
        };
      },
      settings,
    );
  }
}

/** An internal window function that also opens and closes the incremental functions kept in state descriptors. */
function openingToo<C, R, K, W extends Window>(inner: InternalWindowFunction<C, R, K, W>, rich: readonly object[]): InternalWindowFunction<C, R, K, W> {
  if (rich.length === 0) return inner;
  return {
    process: (key, window, context, contents, out) => inner.process(key, window, context, contents, out),
    clear: (window, context) => inner.clear(window, context),
    open: async (context) => {
      await openAll(rich, context);
      await inner.open(context);
    },
    close: async () => {
      await inner.close();
      await closeAll(rich);
    },
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'an object';
}

export { WINDOW_KIND };
