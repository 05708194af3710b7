// StreamExecutionEnvironment: where a job module declares its pipeline (Flink's class of the same
// name). The module's default export receives one; planning runs it and turns what it declared into
// a JobGraph. Settings apply to what is declared after them: a source takes the environment's
// parallelism when it is created, as in Flink.
import type { Observable } from 'rxjs';
import { WeirError } from '../messages/errors.ts';
import { DataStream } from './data-stream.ts';
// For its side effect: KeyedStream registers itself with DataStream.keyBy (see data-stream.ts).
import './keyed-stream.ts';
import type { RuntimeExecutionMode } from './graph/job-graph-builder.ts';
import { StreamGraph } from './graph/stream-graph.ts';
import type { SourceTransformation } from './graph/transformation.ts';
import { collectionSource } from './sources/collection-source.ts';
import { type ObservableSourceOptions, observableSource } from './sources/observable-source.ts';
import { sequenceSource } from './sources/sequence-source.ts';

export const DEFAULT_PARALLELISM = 1;
/** Key groups per job: the most subtasks any keyed operator can be rescaled to (Flink's default). */
export const DEFAULT_MAX_PARALLELISM = 128;
/** Flink's upper bound for max parallelism (2^15). */
export const UPPER_BOUND_MAX_PARALLELISM = 1 << 15;
export const DEFAULT_JOB_NAME = 'Weir Job';
/** How long a partly filled network batch may wait before it is sent (Flink's default). */
export const DEFAULT_BUFFER_TIMEOUT_MS = 100;

const RUNTIME_MODES: readonly RuntimeExecutionMode[] = ['STREAMING', 'BATCH', 'AUTOMATIC'];

export class StreamExecutionEnvironment {
  private parallelism = DEFAULT_PARALLELISM;
  private maxParallelism = DEFAULT_MAX_PARALLELISM;
  private runtimeMode: RuntimeExecutionMode = 'STREAMING';
  private jobName = DEFAULT_JOB_NAME;
  private bufferTimeoutMs = DEFAULT_BUFFER_TIMEOUT_MS;
  private chainingEnabled = true;
  private readonly streamGraph = new StreamGraph();

  /** The parallelism of parallel sources and of operators declared from now on (default 1). */
  setParallelism(parallelism: number): this {
    if (!Number.isInteger(parallelism) || parallelism < 1) {
      throw new WeirError('INVALID_PARALLELISM', `environment: parallelism must be a positive integer, got ${String(parallelism)}`);
    }
    this.parallelism = parallelism;
    this.streamGraph.defaultParallelism = parallelism;
    return this;
  }

  getParallelism(): number {
    return this.parallelism;
  }

  /** The number of key groups (default 128): no vertex may have more subtasks. */
  setMaxParallelism(maxParallelism: number): this {
    if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
      throw new WeirError('INVALID_PARALLELISM', `environment: max parallelism must be an integer from 1 to ${UPPER_BOUND_MAX_PARALLELISM}, got ${String(maxParallelism)}`);
    }
    this.maxParallelism = maxParallelism;
    return this;
  }

  getMaxParallelism(): number {
    return this.maxParallelism;
  }

  /** STREAMING (the default), BATCH, or AUTOMATIC: BATCH when every source is bounded. */
  setRuntimeMode(mode: RuntimeExecutionMode): this {
    if (!RUNTIME_MODES.includes(mode)) {
      throw new WeirError('INVALID_RUNTIME_MODE', `environment: runtime mode must be one of ${RUNTIME_MODES.join(', ')}, got ${String(mode)}`);
    }
    this.runtimeMode = mode;
    return this;
  }

  getRuntimeMode(): RuntimeExecutionMode {
    return this.runtimeMode;
  }

  /** How long (ms) a partly filled network batch may wait before it is sent; 0 sends every record at once. */
  setBufferTimeout(timeoutMs: number): this {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0) {
      throw new WeirError('INVALID_ARGUMENT', `environment: the buffer timeout must be a non-negative integer of milliseconds, got ${String(timeoutMs)}`);
    }
    this.bufferTimeoutMs = timeoutMs;
    return this;
  }

  getBufferTimeout(): number {
    return this.bufferTimeoutMs;
  }

  /** Runs every operator in a task of its own (Flink's disableOperatorChaining): for debugging, slower. */
  disableOperatorChaining(): this {
    this.chainingEnabled = false;
    return this;
  }

  isChainingEnabled(): boolean {
    return this.chainingEnabled;
  }

  setJobName(name: string): this {
    if (typeof name !== 'string' || name === '') throw new WeirError('INVALID_ARGUMENT', `environment: a job name must be a non-empty string, got ${String(name)}`);
    this.jobName = name;
    return this;
  }

  getJobName(): string {
    return this.jobName;
  }

  /** The integers from..to inclusive: bounded, parallel, read as contiguous ranges handed out lazily. */
  fromSequence(from: number, to: number): DataStream<number> {
    return this.source(sequenceSource(this.streamGraph.nextIndex, from, to, this.parallelism));
  }

  /** The given elements in order: bounded, parallelism 1; they travel in the job graph, so plain data. */
  fromElements<T>(...elements: T[]): DataStream<T> {
    return this.source(collectionSource(this.streamGraph.nextIndex, elements));
  }

  /** Like fromElements, from an array or any iterable (read once, at planning). */
  fromCollection<T>(elements: Iterable<T>): DataStream<T> {
    if (elements === null || typeof (elements as Partial<Iterable<T>> | undefined)?.[Symbol.iterator] !== 'function') {
      throw new WeirError('INVALID_ARGUMENT', `fromCollection() needs an array or an iterable, got ${elements === null ? 'null' : typeof elements}`);
    }
    return this.source(collectionSource(this.streamGraph.nextIndex, Array.from(elements)));
  }

  /**
   * What the observable the factory makes emits: parallelism 1, unbounded unless it completes. The
   * factory runs in the subtask, not at planning. See ObservableSourceOptions for its buffer.
   */
  fromObservable<T>(factory: () => Observable<T>, options?: ObservableSourceOptions): DataStream<T> {
    return this.source(observableSource(this.streamGraph.nextIndex, factory, options));
  }

  /** Everything declared so far (for planning; Flink's getStreamGraph). */
  getStreamGraph(): StreamGraph {
    return this.streamGraph;
  }

  private source<T>(transformation: SourceTransformation): DataStream<T> {
    return new DataStream<T>(this.streamGraph, this.streamGraph.add(transformation));
  }
}
