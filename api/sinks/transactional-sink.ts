// What sinkTo() declares for a transactional sink: a FileSink, or the user's TwoPhaseCommitSink (an
// instance of a subclass, the subclass itself, or an object with its methods). Both run on
// TwoPhaseCommitSinkOperator; anything else is a sink function (function-sink.ts).
import type { OperatorFactory } from '../graph/transformation.ts';
import { describeOperator } from '../runtime/chain.ts';
import { userFunctionFactory } from '../runtime/user-function.ts';
import { isFileSink } from './file-sink.ts';
import { PartFileWriter } from './part-file-writer.ts';
import { TWO_PHASE_COMMIT_SINK_KIND, TwoPhaseCommitSinkOperator } from './two-phase-commit-operator.ts';
import type { TwoPhaseCommitSink } from './two-phase-commit-sink.ts';

export const FILE_SINK_KIND = 'sink-file';

/** The methods a TwoPhaseCommitSink must have; recoverAndCommit() and recoverAndAbort() default to commit() and abort(). */
const TWO_PHASE_COMMIT_METHODS = ['beginTransaction', 'invoke', 'preCommit', 'commit', 'abort'] as const;

export interface TransactionalSinkDeclaration {
  readonly kind: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly factory: (operator: string) => OperatorFactory;
}

/** The declaration of a transactional sink; null when `sink` is not one (a sink function). */
export function transactionalSink(sink: unknown): TransactionalSinkDeclaration | null {
  if (isFileSink(sink)) {
    const { settings } = sink;
    const { directory, partPrefix, partSuffix } = settings;
    return {
      kind: FILE_SINK_KIND,
      name: 'Sink: File',
      config: { directory, partPrefix, partSuffix },
      factory: () => (runtime) => new TwoPhaseCommitSinkOperator(runtime, () => new PartFileWriter(settings, describeOperator(runtime.descriptor))),
    };
  }
  if (!isTwoPhaseCommitSink(sink)) return null;
  return {
    kind: TWO_PHASE_COMMIT_SINK_KIND,
    name: 'Sink: Two-Phase Commit',
    config: {},
    factory: (operator) => {
      const factory = userFunctionFactory<TwoPhaseCommitSink<unknown, unknown>>(sink, TWO_PHASE_COMMIT_METHODS, operator);
      return (runtime) => new TwoPhaseCommitSinkOperator(runtime, factory);
    },
  };
}

/** A TwoPhaseCommitSink or a class of one: recognised by its beginTransaction() (a sink function has none). */
function isTwoPhaseCommitSink(sink: unknown): boolean {
  if (typeof sink === 'function') return typeof (sink.prototype as { beginTransaction?: unknown } | undefined)?.beginTransaction === 'function';
  return typeof sink === 'object' && sink !== null && typeof (sink as { beginTransaction?: unknown }).beginTransaction === 'function';
}
