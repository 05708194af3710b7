// A Transformation is one step of the user's pipeline as declared (Flink's Transformation). Physical
// ones become operators: a source, a one- or two-input operator, a sink. Virtual ones only shape the
// connections between operators (Flink's PartitionTransformation, UnionTransformation,
// SideOutputTransformation): a partitioning, a union of streams, a side output of an operator.
// The user's functions live in the factories: they never travel, each TaskManager plans the job again.
import { WeirError } from '../../messages/errors.ts';
import type { InputSplit, OperatorDescriptor, Partitioning } from '../../messages/job-graph.ts';
import { type ChainOperator, type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import type { SourceReader } from '../runtime/source-reader.ts';
import type { SplitEnumeratorRuntime } from '../runtime/subtask.ts';
import type { SplitEnumeratorContext } from '../sources/source.ts';

export type SourceReaderFactory = (runtime: OperatorRuntime, output: Output<unknown>) => SourceReader;
export type OperatorFactory = (runtime: OperatorRuntime, output: Output<unknown>) => ChainOperator<unknown>;
export type KeySelector = (value: unknown) => unknown;
export type CustomPartitionFunction = (key: unknown, partitions: number) => number;

/**
 * Flink's ChainingStrategy: 'always' chains to its input when it can; 'head' (startNewChain) starts a
 * chain that later operators may join; 'never' (disableChaining) runs alone.
 */
export type ChainingStrategy = 'always' | 'head' | 'never';

interface TransformationBase {
  /** Position in the pipeline (creation order in the environment): the default id's counter. */
  readonly index: number;
  readonly kind: string;
  name: string;
  uid: string | undefined;
}

interface PhysicalBase extends TransformationBase {
  /** Data only: it travels in the JobGraph's OperatorDescriptor. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The environment's parallelism when the operator was declared (as in Flink), or setParallelism's. */
  parallelism: number;
  chaining: ChainingStrategy;
}

export interface SourceTransformation extends PhysicalBase {
  readonly role: 'source';
  /** False for a source that always runs with parallelism 1 (a collection, an observable). */
  readonly parallel: boolean;
  readonly bounded: boolean;
  /** The splits the JobManager hands out; undefined for a source that reads no splits. */
  planSplits(parallelism: number): readonly InputSplit[] | undefined;
  /** A source whose splits its enumerator hands out on the JobManager (fromSource); planSplits gives none. */
  readonly createEnumerator?: (descriptor: OperatorDescriptor, context: SplitEnumeratorContext) => SplitEnumeratorRuntime;
  readonly createReader: SourceReaderFactory;
}

/** What a keyed reduction or aggregation chains before its hash exchange in BATCH mode. */
export interface CombinerSpec {
  readonly kind: string;
  readonly createOperator: OperatorFactory;
}

export interface OperatorTransformation extends PhysicalBase {
  readonly role: 'operator' | 'sink';
  /** One input, or two for a two-input operator (connect); each may be virtual. */
  readonly inputs: readonly Transformation[];
  /** A two-input operator's factory returns an operator that is a TwoInputOperator too. */
  readonly createOperator: OperatorFactory;
  /** BATCH mode: a pre-aggregation chained to each upstream operator before the hash exchange. */
  readonly combiner?: CombinerSpec;
}

export interface PartitionTransformation extends TransformationBase {
  readonly role: 'partition';
  readonly input: Transformation;
  readonly partitioning: Partitioning;
  /** 'hash' and 'custom': the key of a record. */
  readonly keySelector?: KeySelector;
  /** 'custom': the channel of a key. */
  readonly partition?: CustomPartitionFunction;
}

export interface UnionTransformation extends TransformationBase {
  readonly role: 'union';
  readonly inputs: readonly Transformation[];
}

export interface SideOutputTransformation extends TransformationBase {
  readonly role: 'side-output';
  /** The operator whose side output this is. */
  readonly input: OperatorTransformation;
  /** The OutputTag's id. */
  readonly tag: string;
}

export type PhysicalTransformation = SourceTransformation | OperatorTransformation;
export type VirtualTransformation = PartitionTransformation | UnionTransformation | SideOutputTransformation;
export type Transformation = PhysicalTransformation | VirtualTransformation;

export function isPhysical(transformation: Transformation): transformation is PhysicalTransformation {
  return transformation.role === 'source' || transformation.role === 'operator' || transformation.role === 'sink';
}

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

/** The parallelism a stream is produced with: an operator's own; a virtual step's first input's. */
export function parallelismOf(transformation: Transformation): number {
  switch (transformation.role) {
    case 'union':
      return parallelismOf(transformation.inputs[0]);
    case 'partition':
    case 'side-output':
      return parallelismOf(transformation.input);
    default:
      return transformation.parallelism;
  }
}

export function checkPositiveInteger(value: unknown, what: string, operator: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new WeirError('INVALID_PARALLELISM', `${operator}: ${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** The transformation when it is an operator; `what` names the call for the error otherwise. */
export function physical(transformation: Transformation, what: string): PhysicalTransformation {
  if (isPhysical(transformation)) return transformation;
  throw new WeirError(
    'INVALID_ARGUMENT',
    `${describeTransformation(transformation)} is not an operator but a ${transformation.role} of streams: call ${what} on the operator before it or after it`,
  );
}

/** setParallelism() on a DataStream or a sink: a parallelism other than the input's makes an exchange. */
export function setParallelism(transformation: Transformation, parallelism: number): void {
  const target = physical(transformation, 'setParallelism()');
  const operator = describeTransformation(target);
  checkPositiveInteger(parallelism, 'parallelism', operator);
  if (target.role === 'source' && !target.parallel && parallelism !== 1) {
    throw new WeirError('INVALID_PARALLELISM', `${operator} is not a parallel source: its parallelism is 1, not ${parallelism}`);
  }
  target.parallelism = parallelism;
}

export function setChaining(transformation: Transformation, chaining: ChainingStrategy, what: string): void {
  physical(transformation, what).chaining = chaining;
}

export function setName(transformation: Transformation, name: unknown): void {
  const target = physical(transformation, 'name()');
  if (typeof name !== 'string' || name === '') {
    throw new WeirError('INVALID_ARGUMENT', `${describeTransformation(target)}: name() needs a non-empty string, got ${String(name)}`);
  }
  target.name = name;
}

export function setUid(transformation: Transformation, uid: unknown): void {
  const target = physical(transformation, 'uid()');
  if (typeof uid !== 'string' || uid === '') {
    throw new WeirError('INVALID_ARGUMENT', `${describeTransformation(target)}: uid() needs a non-empty string, got ${String(uid)}`);
  }
  target.uid = uid;
}
