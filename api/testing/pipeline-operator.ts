// How a harness gets its operator: the user declares it with the real DataStream API on a planning
// environment (`input => input.keyBy(k).window(w).process(f)`), and the harness takes the one
// operator that declaration added, with the factory the job would run (no second implementation of
// any operator). The harness's inputs are empty collection sources that never run.
import type { OperatorDescriptor, RuntimeMode } from '../../messages/job-graph.ts';
import { WeirError } from '../../messages/errors.ts';
import { DataStream } from '../data-stream.ts';
import { describeValue } from '../eventtime/describe-value.ts';
import { StreamExecutionEnvironment, enterPlanningMode } from '../environment.ts';
import { type OperatorFactory, type OperatorTransformation, type Transformation, describeTransformation, operatorId } from '../graph/transformation.ts';

/** The subtask a harness runs its operator as, and the job settings the operator sees. */
export interface HarnessOptions {
  /** STREAMING (default) or BATCH: a BATCH operator holds results back until endInput(). */
  readonly runtimeMode?: RuntimeMode;
  /** The environment's parallelism while the pipeline is declared (default 1); the operator's own setParallelism() wins. */
  readonly parallelism?: number;
  /** Key groups (default 128): with parallelism > 1 the subtask owns only some, and takes only their keys. */
  readonly maxParallelism?: number;
  /** Which subtask of the operator the harness is (default 0). */
  readonly subtaskIndex?: number;
  /** Where the processing-time clock starts (ms, default 0). */
  readonly processingTime?: number;
  /** env.enableObjectReuse(): the operator skips the copies that keep a record from reaching two owners. */
  readonly objectReuse?: boolean;
  /** How often (ms of processing time) watermark generators emit periodically (default 200; 0: never). */
  readonly autoWatermarkIntervalMs?: number;
}

/** The operator a pipeline declared, and the settings of the subtask to run it as. */
export interface PipelineOperator {
  readonly descriptor: OperatorDescriptor;
  readonly createOperator: OperatorFactory;
  readonly runtimeMode: RuntimeMode;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly subtaskIndex: number;
  readonly processingTime: number;
  readonly objectReuse: boolean;
  readonly autoWatermarkIntervalMs: number;
}

/**
 * Runs `declare` on `inputs` empty input streams of a planning environment; the pipeline must add
 * exactly one operator, whose i-th input is input i (through keyBy or another partitioning).
 * `what` names the harness method for errors, e.g. `forPipeline()`.
 */
export function declarePipelineOperator(inputs: 1 | 2, declare: (streams: DataStream<unknown>[]) => unknown, options: HarnessOptions, what: string): PipelineOperator {
  const env = new StreamExecutionEnvironment();
  enterPlanningMode(env);
  const runtimeMode = options.runtimeMode ?? 'STREAMING';
  if (runtimeMode !== 'STREAMING' && runtimeMode !== 'BATCH') {
    throw new WeirError('INVALID_RUNTIME_MODE', `${what}: a harness runs STREAMING or BATCH, got ${String(runtimeMode)}`);
  }
  // The environment checks these settings as it would in a job.
  env.setParallelism(options.parallelism ?? 1).setRuntimeMode(runtimeMode).setAutoWatermarkInterval(options.autoWatermarkIntervalMs ?? env.getAutoWatermarkInterval());
  if (options.maxParallelism !== undefined) env.setMaxParallelism(options.maxParallelism);
  if (options.objectReuse === true) env.enableObjectReuse();
  const sources = Array.from({ length: inputs }, () => env.fromElements<unknown>());
  const declared = env.getStreamGraph().transformations.length;
  const result = declare(sources);
  if (!(result instanceof DataStream)) {
    throw new WeirError('INVALID_ARGUMENT', `${what} needs a function that declares one operator and returns its stream, got one that returned ${describeValue(result)}`);
  }
  const transformations = env.getStreamGraph().transformations;
  const operator = theOneOperator(transformations.slice(declared), what);
  checkInputs(operator, transformations.slice(0, declared), what);
  const parallelism = operator.parallelism;
  const subtaskIndex = options.subtaskIndex ?? 0;
  if (!Number.isInteger(subtaskIndex) || subtaskIndex < 0 || subtaskIndex >= parallelism) {
    throw new WeirError('INVALID_ARGUMENT', `${what}: subtaskIndex must be an integer from 0 to ${parallelism - 1} (the operator's parallelism is ${parallelism}), got ${String(subtaskIndex)}`);
  }
  const processingTime = options.processingTime ?? 0;
  if (!Number.isFinite(processingTime)) throw new WeirError('INVALID_ARGUMENT', `${what}: processingTime must be a finite number of ms, got ${String(processingTime)}`);
  return {
    descriptor: { id: operatorId(operator), kind: operator.kind, name: operator.name, config: operator.config },
    createOperator: operator.createOperator,
    runtimeMode,
    parallelism,
    maxParallelism: env.getMaxParallelism(),
    subtaskIndex,
    processingTime,
    objectReuse: env.isObjectReuseEnabled(),
    autoWatermarkIntervalMs: env.getAutoWatermarkInterval(),
  };
}

function theOneOperator(added: readonly Transformation[], what: string): OperatorTransformation {
  const physical = added.filter((transformation): transformation is OperatorTransformation => transformation.role === 'operator' || transformation.role === 'sink');
  if (physical.length === 1 && physical[0].role === 'operator') return physical[0];
  if (physical.length === 0) throw new WeirError('INVALID_PIPELINE', `${what}: the pipeline declared no operator; declare the one to test, e.g. input => input.process(fn)`);
  if (physical.length === 1) {
    throw new WeirError('INVALID_PIPELINE', `${what}: ${describeTransformation(physical[0])} is a sink; a harness drives an operator and reads what it emits`);
  }
  const names = physical.map(describeTransformation).join(', ');
  throw new WeirError('INVALID_PIPELINE', `${what}: the pipeline declared ${physical.length} operators (${names}); a harness drives one, so test them one at a time`);
}

/** Input i of the operator must be harness input i, directly or through a partitioning (keyBy). */
function checkInputs(operator: OperatorTransformation, sources: readonly Transformation[], what: string): void {
  const fed = operator.inputs.map((input) => {
    let upstream = input;
    while (upstream.role === 'partition') upstream = upstream.input;
    return sources.indexOf(upstream);
  });
  if (fed.length === sources.length && fed.every((source, index) => source === index)) return;
  const expected = sources.length === 1 ? 'the harness input' : 'the first harness input, then the second';
  throw new WeirError('INVALID_PIPELINE', `${what}: ${describeTransformation(operator)} must read ${expected}, each at most through keyBy() or a partitioning; it reads other streams`);
}
