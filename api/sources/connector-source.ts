// env.fromSource(source, strategy?, name?): declares a Source (source.ts) as a parallel source vertex
// whose splits come from its enumerator on the JobManager (the vertex is marked `enumeratedSplits`),
// read by a ConnectorSourceReader in each subtask; with a WatermarkStrategy, in event time.
// Flink's argument order is (source, watermarkStrategy, sourceName); a string second argument is
// the name (the form without a strategy).
import { WeirError, describeError } from '../../messages/errors.ts';
import type { InputSplit, OperatorDescriptor } from '../../messages/job-graph.ts';
import { describeValue } from '../eventtime/describe-value.ts';
import { type WatermarkStrategy, isWatermarkStrategy } from '../eventtime/watermark-strategy.ts';
import { type SourceTransformation, defaultOperatorId } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import type { SplitEnumeratorRuntime } from '../runtime/subtask.ts';
import { ConnectorSourceReader } from './connector-reader.ts';
import type { Source, SplitEnumerator, SplitEnumeratorContext } from './source.ts';

export const CONNECTOR_SOURCE_KIND = 'source';

/**
 * Declares fromSource(source, strategy, name) or fromSource(source, name); `parallelism` is the
 * environment's at declaration. The arguments are checked here, at planning.
 */
export function connectorSource<T, Split>(
  index: number,
  source: Source<T, Split>,
  strategyOrName: WatermarkStrategy<T> | string | undefined,
  nameArgument: string | undefined,
  parallelism: number,
): SourceTransformation {
  const named = typeof strategyOrName === 'string';
  const name: unknown = named ? strategyOrName : nameArgument;
  const sourceName = typeof name === 'string' && name !== '' ? name : 'Source: Custom Source';
  const operator = describeOperator({ id: defaultOperatorId(CONNECTOR_SOURCE_KIND, index), name: sourceName });
  if (typeof name !== 'undefined' && (typeof name !== 'string' || name === '')) {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: fromSource() takes an optional non-empty name, got ${describeValue(name)}`);
  }
  if (named && nameArgument !== undefined) {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: fromSource() takes the name once: (source, name) or (source, strategy, name); got a third argument, ${describeValue(nameArgument)}`);
  }
  const strategy = named ? undefined : strategyOrName;
  if (strategy !== undefined && !isWatermarkStrategy(strategy)) {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: fromSource() takes a WatermarkStrategy (or the name) as its second argument, got ${describeValue(strategy)}`);
  }
  checkSource(source, operator);
  const transformation: SourceTransformation = {
    role: 'source',
    index,
    kind: CONNECTOR_SOURCE_KIND,
    name: sourceName,
    uid: undefined,
    chaining: 'always',
    parallelism,
    parallel: true,
    bounded: source.boundedness === 'bounded',
    config: { boundedness: source.boundedness },
    planSplits: () => undefined,
    createEnumerator: (descriptor, context) => new EnumeratorRuntime(source, descriptor, context),
    createReader: (runtime: OperatorRuntime, output: Output<unknown>) => new ConnectorSourceReader(runtime, source, output as Output<T>, strategy),
  };
  return transformation;
}

function checkSource(source: unknown, operator: string): asserts source is Source<unknown, unknown> {
  const candidate = source as Partial<Source<unknown, unknown>> | null;
  if (typeof candidate !== 'object' || candidate === null) {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: fromSource() needs a Source object, got ${candidate === null ? 'null' : typeof candidate}`);
  }
  for (const method of ['createEnumerator', 'createReader'] as const) {
    if (typeof candidate[method] !== 'function') throw new WeirError('INVALID_ARGUMENT', `${operator}: the source has no ${method}() method`);
  }
  if (candidate.boundedness !== 'bounded' && candidate.boundedness !== 'unbounded') {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: the source's boundedness must be 'bounded' or 'unbounded', got ${String(candidate.boundedness)}`);
  }
  const concurrent = candidate.concurrentSplits;
  if (concurrent !== undefined && !(typeof concurrent === 'number' && concurrent >= 1 && (Number.isInteger(concurrent) || concurrent === Number.POSITIVE_INFINITY))) {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: the source's concurrentSplits must be a positive integer or Infinity, got ${describeValue(concurrent)}`);
  }
}

/** The user's enumerator as the JobManager drives it: splits numbered in the order handed out. */
class EnumeratorRuntime<Split> implements SplitEnumeratorRuntime {
  private enumerator: SplitEnumerator<Split> | null = null;
  private handedOut = 0;

  constructor(
    private readonly source: Source<unknown, Split>,
    private readonly descriptor: Pick<OperatorDescriptor, 'id' | 'name'>,
    private readonly context: SplitEnumeratorContext,
  ) {}

  async nextSplit(subtaskIndex: number): Promise<InputSplit | null> {
    const enumerator = this.created();
    let split: Split | null;
    try {
      split = await enumerator.nextSplit(subtaskIndex);
    } catch (error) {
      throw this.failed(`nextSplit(${subtaskIndex})`, error);
    }
    if (split === null || split === undefined) return null;
    return { index: this.handedOut++, payload: split };
  }

  async close(): Promise<void> {
    const enumerator = this.enumerator;
    this.enumerator = null;
    try {
      await enumerator?.close?.();
    } catch (error) {
      throw this.failed('close()', error);
    }
  }

  private created(): SplitEnumerator<Split> {
    if (this.enumerator) return this.enumerator;
    let enumerator: SplitEnumerator<Split>;
    try {
      enumerator = this.source.createEnumerator(this.context);
    } catch (error) {
      throw this.failed('createEnumerator()', error);
    }
    if (typeof (enumerator as Partial<SplitEnumerator<Split>> | null)?.nextSplit !== 'function') {
      throw new WeirError('INVALID_FUNCTION', `${describeOperator(this.descriptor)}: createEnumerator() must return an enumerator with a nextSplit(subtaskIndex) method; it returned ${String(enumerator)}`);
    }
    this.enumerator = enumerator;
    return enumerator;
  }

  private failed(call: string, error: unknown): WeirError {
    return new WeirError('SPLIT_ENUMERATOR_FAILED', `${describeOperator(this.descriptor)}: its split enumerator failed in ${call}: ${describeError(error)}`, { cause: error });
  }
}
