// A Transformation is one operator as the user's program declared it (Flink's Transformation): its
// kind, name, uid, parallelism, its data config, its input, and how a subtask builds it. The user's
// functions live in the factories: they never travel, each TaskManager plans the job again.
import { WeirError } from '../../messages/errors.ts';
import type { InputSplit } from '../../messages/job-graph.ts';
import { type ChainOperator, type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import type { SourceReader } from '../runtime/source-reader.ts';

export type SourceReaderFactory = (runtime: OperatorRuntime, output: Output<unknown>) => SourceReader;
export type OperatorFactory = (runtime: OperatorRuntime, output: Output<unknown>) => ChainOperator<unknown>;

interface TransformationBase {
  /** Position in the pipeline (creation order in the environment): the default id's counter. */
  readonly index: number;
  readonly kind: string;
  name: string;
  uid: string | undefined;
  /** Data only: it travels in the JobGraph's OperatorDescriptor. */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface SourceTransformation extends TransformationBase {
  readonly role: 'source';
  /** The environment's parallelism when the source was created (as in Flink), or setParallelism's. */
  parallelism: number;
  /** False for a source that always runs with parallelism 1 (a collection, an observable). */
  readonly parallel: boolean;
  readonly bounded: boolean;
  /** The splits the JobManager hands out; undefined for a source that reads no splits. */
  planSplits(parallelism: number): readonly InputSplit[] | undefined;
  readonly createReader: SourceReaderFactory;
}

export interface OperatorTransformation extends TransformationBase {
  readonly role: 'operator' | 'sink';
  readonly input: Transformation;
  /** Set by setParallelism(); undefined follows the input (the operator is chained to it). */
  parallelism: number | undefined;
  readonly createOperator: OperatorFactory;
}

export type Transformation = SourceTransformation | OperatorTransformation;

/** The stable id: uid() when given, else kind and position, e.g. `map-3`. */
export function operatorId(transformation: Transformation): string {
  return transformation.uid ?? defaultOperatorId(transformation.kind, transformation.index);
}

export function defaultOperatorId(kind: string, index: number): string {
  return `${kind}-${index}`;
}

export function describeTransformation(transformation: Transformation): string {
  return describeOperator({ id: operatorId(transformation), name: transformation.name });
}

/** The parallelism the operator runs with: its own, else its input's (chained operators share it). */
export function effectiveParallelism(transformation: Transformation): number {
  if (transformation.role === 'source') return transformation.parallelism;
  return transformation.parallelism ?? effectiveParallelism(transformation.input);
}

/** The source at the head of the transformation's chain. */
export function sourceOf(transformation: Transformation): SourceTransformation {
  return transformation.role === 'source' ? transformation : sourceOf(transformation.input);
}

export function checkPositiveInteger(value: unknown, what: string, operator: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new WeirError('INVALID_PARALLELISM', `${operator}: ${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** setParallelism() on a DataStream or a sink: what can run without a network exchange. */
export function setParallelism(transformation: Transformation, parallelism: number): void {
  const operator = describeTransformation(transformation);
  checkPositiveInteger(parallelism, 'parallelism', operator);
  if (transformation.role === 'source') {
    if (!transformation.parallel && parallelism !== 1) {
      throw new WeirError('INVALID_PARALLELISM', `${operator} is not a parallel source: its parallelism is 1, not ${parallelism}`);
    }
    transformation.parallelism = parallelism;
    return;
  }
  checkChainedParallelism(transformation, parallelism);
  transformation.parallelism = parallelism;
}

/** Throws NETWORK_EXCHANGE_UNSUPPORTED when `parallelism` differs from the operator's input's. */
export function checkChainedParallelism(transformation: OperatorTransformation, parallelism: number): void {
  const inputParallelism = effectiveParallelism(transformation.input);
  if (parallelism === inputParallelism) return;
  throw new WeirError(
    'NETWORK_EXCHANGE_UNSUPPORTED',
    `${describeTransformation(transformation)} has parallelism ${parallelism} but its input ${describeTransformation(transformation.input)} ` +
      `has ${inputParallelism}: that needs a network exchange (rebalance), which is not supported yet`,
  );
}

export function setName(transformation: Transformation, name: unknown): void {
  if (typeof name !== 'string' || name === '') {
    throw new WeirError('INVALID_ARGUMENT', `${describeTransformation(transformation)}: name() needs a non-empty string, got ${String(name)}`);
  }
  transformation.name = name;
}

export function setUid(transformation: Transformation, uid: unknown): void {
  if (typeof uid !== 'string' || uid === '') {
    throw new WeirError('INVALID_ARGUMENT', `${describeTransformation(transformation)}: uid() needs a non-empty string, got ${String(uid)}`);
  }
  transformation.uid = uid;
}
