// The entry point of the operator test harness (Flink's ProcessFunctionTestHarnesses): a harness for a
// user's function, without a cluster. forPipeline() is the general form: declare the operator with the
// real DataStream API on the harness's input (`input => input.keyBy(k).window(w).process(f)`) and the
// harness drives that one operator, built by the same code a job runs. The other methods are
// shorthands for the common declarations.
import type { DataStream } from '../data-stream.ts';
import type { KeyedCoProcessFunctionLike, KeyedProcessFunctionLike, ProcessFunctionLike } from '../functions.ts';
import type { Key } from '../runtime/key-groups.ts';
import type { WindowedStream } from '../windowed-stream.ts';
import type { WindowAssigner } from '../windowing/assigners/window-assigner.ts';
import type { Window } from '../windowing/windows/window.ts';
import { OneInputOperatorTestHarness } from './one-input-operator-test-harness.ts';
import { type HarnessOptions, declarePipelineOperator } from './pipeline-operator.ts';
import { TwoInputOperatorTestHarness } from './two-input-operator-test-harness.ts';

export class ProcessFunctionTestHarnesses {
  private constructor() {}

  /**
   * The one operator `declare` adds to the harness's input stream: `input => input.map(f)`,
   * `input => input.keyBy(k).process(f)`, `input => input.keyBy(k).window(w).trigger(t).reduce(f)`.
   */
  static forPipeline<IN, OUT>(declare: (input: DataStream<IN>) => DataStream<OUT>, options: HarnessOptions = {}): OneInputOperatorTestHarness<IN, OUT> {
    const declared = declarePipelineOperator(1, ([input]) => declare(input as DataStream<IN>), options, 'forPipeline()');
    return new OneInputOperatorTestHarness<IN, OUT>(declared);
  }

  /** The one two-input operator `declare` adds on the harness's two inputs: `(a, b) => a.keyBy(k).connect(b.keyBy(k)).process(f)`, an interval join. */
  static forTwoInputPipeline<IN1, IN2, OUT>(
    declare: (first: DataStream<IN1>, second: DataStream<IN2>) => DataStream<OUT>,
    options: HarnessOptions = {},
  ): TwoInputOperatorTestHarness<IN1, IN2, OUT> {
    const declared = declarePipelineOperator(2, ([first, second]) => declare(first as DataStream<IN1>, second as DataStream<IN2>), options, 'forTwoInputPipeline()');
    return new TwoInputOperatorTestHarness<IN1, IN2, OUT>(declared);
  }

  /** A ProcessFunction (`stream.process(fn)`): records, side outputs, no keyed state. */
  static forProcessFunction<IN, OUT>(fn: ProcessFunctionLike<IN, OUT>, options: HarnessOptions = {}): OneInputOperatorTestHarness<IN, OUT> {
    return ProcessFunctionTestHarnesses.forPipeline<IN, OUT>((input) => input.process(fn), options);
  }

  /** A KeyedProcessFunction on records keyed by `keySelector` (`stream.keyBy(keySelector).process(fn)`): keyed state and timers. */
  static forKeyedProcessFunction<K extends Key, IN, OUT>(
    fn: KeyedProcessFunctionLike<K, IN, OUT>,
    keySelector: (value: IN) => K,
    options: HarnessOptions = {},
  ): OneInputOperatorTestHarness<IN, OUT> {
    return ProcessFunctionTestHarnesses.forPipeline<IN, OUT>((input) => input.keyBy(keySelector).process(fn), options);
  }

  /** A KeyedCoProcessFunction on two inputs, each keyed by its own selector. */
  static forKeyedCoProcessFunction<K extends Key, IN1, IN2, OUT>(
    fn: KeyedCoProcessFunctionLike<K, IN1, IN2, OUT>,
    keySelector1: (value: IN1) => K,
    keySelector2: (value: IN2) => K,
    options: HarnessOptions = {},
  ): TwoInputOperatorTestHarness<IN1, IN2, OUT> {
    return ProcessFunctionTestHarnesses.forTwoInputPipeline<IN1, IN2, OUT>((first, second) => first.keyBy(keySelector1).connect(second.keyBy(keySelector2)).process(fn), options);
  }

  /**
   * A keyed window (`stream.keyBy(keySelector).window(assigner)`), configured and closed by
   * `evaluate`: `windowed => windowed.trigger(t).allowedLateness(ms).process(f)`.
   */
  static forWindow<K extends Key, IN, W extends Window, OUT>(
    keySelector: (value: IN) => K,
    assigner: WindowAssigner<IN, W>,
    evaluate: (windowed: WindowedStream<IN, K, W>) => DataStream<OUT>,
    options: HarnessOptions = {},
  ): OneInputOperatorTestHarness<IN, OUT> {
    return ProcessFunctionTestHarnesses.forPipeline<IN, OUT>((input) => evaluate(input.keyBy(keySelector).window(assigner)), options);
  }
}
