// Builds one subtask's operator chain from a planned chain: every operator gets its own instance
// (user classes are instantiated here, once per subtask), wired tail first so each operator is
// built with the outputs it calls.
import type { RuntimeContext } from '../functions.ts';
import type { PlannedChain } from '../graph/job-graph-builder.ts';
import type { Transformation } from '../graph/transformation.ts';
import { type ChainOperator, type ChainTracker, DISCARDING_OUTPUT, FanOutOutput, type OperatorRuntime, type Output } from './chain.ts';
import type { SourceReader } from './source-reader.ts';
import type { SubtaskContext } from './subtask.ts';

export interface BuiltChain {
  readonly reader: SourceReader;
  /** The operators after the source, in topological order (head first). */
  readonly operators: readonly ChainOperator<unknown>[];
  readonly tracker: ChainTracker;
}

export function buildChain(chain: PlannedChain, subtask: SubtaskContext): BuiltChain {
  const tracker: ChainTracker = { current: null };
  const runtimeContext: RuntimeContext = {
    jobName: subtask.jobName,
    subtaskIndex: subtask.subtaskIndex,
    parallelism: subtask.parallelism,
    maxParallelism: subtask.maxParallelism,
    attemptNumber: subtask.attemptNumber,
  };
  const runtimeOf = (transformation: Transformation): OperatorRuntime => {
    const descriptor = chain.descriptors.get(transformation);
    if (!descriptor) throw new Error(`no descriptor for operator ${transformation.name}`);
    return { descriptor, tracker, subtask, runtimeContext };
  };
  const built = new Map<Transformation, ChainOperator<unknown>>();
  const outputOf = (transformation: Transformation): Output<unknown> => {
    const consumers = chain.consumers.get(transformation) ?? [];
    const outputs = consumers.map((consumer) => built.get(consumer) as ChainOperator<unknown>);
    if (outputs.length === 0) return DISCARDING_OUTPUT;
    return outputs.length === 1 ? outputs[0] : new FanOutOutput(outputs);
  };
  for (let index = chain.operators.length - 1; index >= 0; index--) {
    const transformation = chain.operators[index];
    built.set(transformation, transformation.createOperator(runtimeOf(transformation), outputOf(transformation)));
  }
  const reader = chain.source.createReader(runtimeOf(chain.source), outputOf(chain.source));
  const operators = chain.operators.map((transformation) => built.get(transformation) as ChainOperator<unknown>);
  return { reader, operators, tracker };
}
