// fromElements(...) / fromCollection(...): a bounded source of parallelism 1 whose elements travel in
// the JobGraph as split payloads, COLLECTION_SPLIT_ELEMENTS per split, read in split order. So they
// must be data msgpack carries unchanged: checked at planning, naming the first element that is not.
import { WeirError } from '../../messages/errors.ts';
import type { InputSplit } from '../../messages/job-graph.ts';
import { type SourceTransformation, defaultOperatorId } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { SplitSourceReader } from './split-reader.ts';

export const COLLECTION_SOURCE_KIND = 'source-collection';

/** Elements per split: keeps each split a modest message. */
export const COLLECTION_SPLIT_ELEMENTS = 1024;

export function collectionSplits(elements: readonly unknown[]): InputSplit[] {
  const splits: InputSplit[] = [];
  for (let start = 0; start < elements.length; start += COLLECTION_SPLIT_ELEMENTS) {
    splits.push({ index: splits.length, payload: { elements: elements.slice(start, start + COLLECTION_SPLIT_ELEMENTS) } });
  }
  return splits;
}

/**
 * Where `value` holds something msgpack would not carry unchanged (a function, a symbol, a class
 * instance, a Map or Set, a cycle): its path, e.g. `[3].when.zone`; undefined when it is plain data.
 */
export function findNonData(value: unknown, path = '', seen: Set<object> = new Set()): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return undefined;
    case 'function':
    case 'symbol':
      return `${path || 'the value'} (a ${typeof value})`;
  }
  if (value === null || value instanceof Date || value instanceof Uint8Array) return undefined;
  const object = value as object;
  if (seen.has(object)) return `${path || 'the value'} (a cycle)`;
  const prototype: unknown = Object.getPrototypeOf(object);
  if (Array.isArray(object)) {
    seen.add(object);
    for (let index = 0; index < object.length; index++) {
      const found = findNonData(object[index], `${path}[${index}]`, seen);
      if (found) return found;
    }
  } else if (prototype === Object.prototype || prototype === null) {
    seen.add(object);
    for (const [key, field] of Object.entries(object)) {
      const found = findNonData(field, `${path}.${key}`, seen);
      if (found) return found;
    }
  } else {
    return `${path || 'the value'} (an instance of ${object.constructor?.name ?? 'a class'})`;
  }
  seen.delete(object);
  return undefined;
}

interface ElementCursor {
  readonly elements: readonly unknown[];
  position: number;
}

export class CollectionSourceReader<T> extends SplitSourceReader<ElementCursor> {
  constructor(
    runtime: OperatorRuntime,
    private readonly output: Output<T>,
  ) {
    super(runtime);
  }

  protected parse(split: InputSplit, offset: number): ElementCursor {
    const elements = (split.payload as { elements?: unknown } | null)?.elements;
    if (!Array.isArray(elements)) throw this.invalidSplit(split, 'expected { elements: [...] }');
    return { elements, position: offset };
  }

  /** Elements of the split already emitted. */
  protected offsetOf(cursor: ElementCursor): number {
    return cursor.position;
  }

  protected emit(cursor: ElementCursor, budget: number): number {
    const output = this.output;
    const elements = cursor.elements;
    const start = cursor.position;
    const end = Math.min(elements.length, start + budget);
    for (let index = start; index < end; index++) output.collect(elements[index] as T, undefined);
    cursor.position = end;
    return end - start;
  }

  protected isDone(cursor: ElementCursor): boolean {
    return cursor.position >= cursor.elements.length;
  }
}

/** Throws INVALID_ARGUMENT naming the operator and the first element that is not plain data. */
export function checkElementsAreData(elements: readonly unknown[], operator: string): void {
  const found = findNonData(elements);
  if (found) {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: elements travel in the job graph and must be plain data; ${found} is not`);
  }
}

/** Declares fromElements / fromCollection: parallelism 1, the elements in the splits. */
export function collectionSource(index: number, elements: readonly unknown[]): SourceTransformation {
  const name = 'Source: Collection';
  checkElementsAreData(elements, describeOperator({ id: defaultOperatorId(COLLECTION_SOURCE_KIND, index), name }));
  return {
    role: 'source',
    index,
    kind: COLLECTION_SOURCE_KIND,
    name,
    uid: undefined,
    chaining: 'always',
    parallelism: 1,
    parallel: false,
    bounded: true,
    config: { count: elements.length },
    planSplits: () => collectionSplits(elements),
    createReader: (runtime, output) => new CollectionSourceReader(runtime, output),
  };
}
