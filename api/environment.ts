// StreamExecutionEnvironment: where a job module declares its pipeline (Flink's class of the same
// name). The module's default export receives one; planning runs it and turns what it declared into
// a JobGraph. Settings apply to what is declared after them: a source takes the environment's
// parallelism when it is created, as in Flink.
// A program also runs what it declared: execute(), executeAndCollect() (see execution.ts), on the
// embedded mini cluster by default, or on the cluster whose address the environment was given.
import type { Observable } from 'rxjs';
import { WeirError } from '../messages/errors.ts';
import type { CheckpointingSettings, RestartStrategySettings } from '../messages/job-graph.ts';
import { DataStream } from './data-stream.ts';
import { DEFAULT_AUTO_WATERMARK_INTERVAL_MS } from './eventtime/watermark.ts';
import type { WatermarkStrategy } from './eventtime/watermark-strategy.ts';
import { CheckpointConfig, type CheckpointingMode, checkpointingSettings, enableCheckpointing } from './fault-tolerance/checkpoint-config.ts';
import { type RestartStrategyConfiguration, checkRestartStrategy } from './fault-tolerance/restart-strategies.ts';
import { type ExecutionEnvironmentOptions, type ExecutionPlan, type JobExecutionResult, collectJob, executeJob, registerEnvironment, resultSinks } from './execution.ts';
import type { JobExecutor } from './executor.ts';
// For its side effect: KeyedStream registers itself with DataStream.keyBy (see data-stream.ts).
import './keyed-stream.ts';
import type { RuntimeExecutionMode } from './graph/job-graph-builder.ts';
import { StreamGraph } from './graph/stream-graph.ts';
import type { SourceTransformation } from './graph/transformation.ts';
import { collectionSource } from './sources/collection-source.ts';
import { connectorSource } from './sources/connector-source.ts';
import { type ObservableSourceOptions, observableSource } from './sources/observable-source.ts';
import { sequenceSource } from './sources/sequence-source.ts';
import { socketTextSource } from './sources/socket-text-source.ts';
import type { Source } from './sources/source.ts';
import { type TextFileSourceOptions, textFileSource } from './sources/text-file-source.ts';

export const DEFAULT_PARALLELISM = 1;
/** Key groups per job: the most subtasks any keyed operator can be rescaled to (Flink's default). */
export const DEFAULT_MAX_PARALLELISM = 128;
/** Flink's upper bound for max parallelism (2^15). */
export const UPPER_BOUND_MAX_PARALLELISM = 1 << 15;
export const DEFAULT_JOB_NAME = 'Weir Job';
/** How long a partly filled network batch may wait before it is sent (Flink's default). */
export const DEFAULT_BUFFER_TIMEOUT_MS = 100;
export { DEFAULT_AUTO_WATERMARK_INTERVAL_MS };

const RUNTIME_MODES: readonly RuntimeExecutionMode[] = ['STREAMING', 'BATCH', 'AUTOMATIC'];

// Set by the class's static block: they touch its private state for planJob and the executors.
let enterPlanning: (env: StreamExecutionEnvironment, onExecution: () => void) => void;
let bindExecutor: (env: StreamExecutionEnvironment, executor: JobExecutor) => void;
/** The embedded executor's job module: `env` plans the pipeline `from` declared, functions and all. */
let adoptPipeline: (env: StreamExecutionEnvironment, from: StreamExecutionEnvironment) => void;

export class StreamExecutionEnvironment {
  private parallelism = DEFAULT_PARALLELISM;
  private maxParallelism = DEFAULT_MAX_PARALLELISM;
  private runtimeMode: RuntimeExecutionMode = 'STREAMING';
  private jobName = DEFAULT_JOB_NAME;
  private bufferTimeoutMs = DEFAULT_BUFFER_TIMEOUT_MS;
  private autoWatermarkIntervalMs = DEFAULT_AUTO_WATERMARK_INTERVAL_MS;
  private objectReuse = false;
  private chainingEnabled = true;
  private checkpointConfig = new CheckpointConfig();
  /** Unset: the cluster's restart-strategy.* keys decide. */
  private restartStrategy: RestartStrategySettings | undefined;
  /** Replaced only by adoptPipeline, on an environment that plans another one's pipeline. */
  private streamGraph = new StreamGraph();
  /**
   * Set by planJob: the module is being planned, so an execution starts nothing; it calls this
   * instead, and never settles: the module's code after it does not run while planned.
   */
  private planning: (() => void) | undefined;
  /** Set by the client that runs the module (weir run): its executions go there. Owned by that client. */
  private executor: JobExecutor | undefined;

  /** Embedded unless `options.cluster` names a JobManager; planJob makes its own. */
  constructor(private readonly options: ExecutionEnvironmentOptions = {}) {
    if (options.parallelism !== undefined) this.setParallelism(options.parallelism);
    registerEnvironment(this.streamGraph, (jobName) => this.executionPlan(jobName));
  }

  /**
   * The environment a program runs in (Flink's getExecutionEnvironment): the embedded mini cluster,
   * or the JobManager at `options.cluster` ("host:port").
   */
  static getExecutionEnvironment(options: ExecutionEnvironmentOptions = {}): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment(options);
  }

  /** An environment whose jobs run on an embedded mini cluster in this process. */
  static createLocalEnvironment(parallelism?: number): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment(parallelism === undefined ? {} : { parallelism });
  }

  /** An environment whose jobs run on the standalone cluster whose JobManager listens at host:port. */
  static createRemoteEnvironment(host: string, port: number, options: Omit<ExecutionEnvironmentOptions, 'cluster'> = {}): StreamExecutionEnvironment {
    if (typeof host !== 'string' || host === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new WeirError('INVALID_ARGUMENT', `createRemoteEnvironment() needs a host and a port from 1 to 65535, got ${String(host)}:${String(port)}`);
    }
    return new StreamExecutionEnvironment({ ...options, cluster: `${host}:${port}` });
  }

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

  /** How long (ms) a partly filled network batch may wait before it is sent; 0 sends what a step produced at the end of that step. */
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

  /**
   * How often (ms) periodic watermark generators are asked for a watermark (Flink's
   * pipeline.auto-watermark-interval, default 200); 0 turns periodic emission off.
   */
  setAutoWatermarkInterval(intervalMs: number): this {
    if (!Number.isInteger(intervalMs) || intervalMs < 0) {
      throw new WeirError('INVALID_ARGUMENT', `environment: the auto-watermark interval must be a non-negative integer of milliseconds, got ${String(intervalMs)}`);
    }
    this.autoWatermarkIntervalMs = intervalMs;
    return this;
  }

  getAutoWatermarkInterval(): number {
    return this.autoWatermarkIntervalMs;
  }

  /**
   * Flink's object reuse: Weir stops copying records where one would otherwise reach two owners (a
   * stream read by several operators, a broadcast, a reduce emitting its running value). Faster; then
   * no function may keep or change a record it received once it has emitted or returned.
   */
  enableObjectReuse(): this {
    this.objectReuse = true;
    return this;
  }

  disableObjectReuse(): this {
    this.objectReuse = false;
    return this;
  }

  isObjectReuseEnabled(): boolean {
    return this.objectReuse;
  }

  /** Runs every operator in a task of its own (Flink's disableOperatorChaining): for debugging, slower. */
  disableOperatorChaining(): this {
    this.chainingEnabled = false;
    return this;
  }

  isChainingEnabled(): boolean {
    return this.chainingEnabled;
  }

  /**
   * Takes a checkpoint of the job's state every `intervalMs` (Flink's enableCheckpointing), in
   * `mode` (default EXACTLY_ONCE, or the cluster's execution.checkpointing.mode); a failed job then
   * restarts from its latest one. getCheckpointConfig() tunes the rest.
   */
  enableCheckpointing(intervalMs: number, mode?: CheckpointingMode): this {
    enableCheckpointing(this.checkpointConfig, intervalMs, mode);
    return this;
  }

  /** The job's checkpointing settings (Flink's CheckpointConfig); only what is set on it travels. */
  getCheckpointConfig(): CheckpointConfig {
    return this.checkpointConfig;
  }

  /**
   * What the job does when a task fails: one of RestartStrategies. Unset, the cluster's
   * restart-strategy.* keys decide; with none there, a checkpointing job restarts with
   * exponential-delay and any other job fails.
   */
  setRestartStrategy(strategy: RestartStrategyConfiguration): this {
    this.restartStrategy = checkRestartStrategy('env.setRestartStrategy()', strategy);
    return this;
  }

  /** The strategy set with setRestartStrategy, or undefined for the cluster's. */
  getRestartStrategy(): RestartStrategyConfiguration | undefined {
    return this.restartStrategy;
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

  /**
   * The lines of a file, or of a directory's files (name order, not recursive, names starting with
   * '.' or '_' skipped), without line endings. Bounded and parallel: files are cut into input splits
   * handed out lazily. `{ watch: true }` keeps watching for new files instead: unbounded,
   * parallelism 1 (see TextFileSourceOptions).
   */
  readTextFile(path: string, options: TextFileSourceOptions = {}): DataStream<string> {
    return this.source(textFileSource(this.streamGraph.nextIndex, path, options, this.parallelism));
  }

  /**
   * The text a TCP server sends, one record per `delimiter`: parallelism 1, unbounded, ends when the
   * server closes the connection (no reconnect). Try it with `nc -lk 9999`.
   */
  socketTextStream(host: string, port: number, delimiter = '\n'): DataStream<string> {
    return this.source(socketTextSource(this.streamGraph.nextIndex, host, port, delimiter));
  }

  /**
   * The records of a connector's Source (see sources/source.ts): its enumerator hands out splits on
   * the JobManager, its readers read them in each subtask; parallel, with the environment's
   * parallelism; bounded or not as the source says. With a WatermarkStrategy (Flink's
   * `fromSource(source, watermarkStrategy, sourceName)`), records get its timestamps and each split
   * its own watermark generator; the reader emits the minimum over its splits. `fromSource(source,
   * name)` reads without event time.
   */
  fromSource<T, Split>(source: Source<T, Split>, name?: string): DataStream<T>;
  fromSource<T, Split>(source: Source<T, Split>, strategy: WatermarkStrategy<T> | undefined, name?: string): DataStream<T>;
  fromSource<T, Split>(source: Source<T, Split>, strategyOrName?: WatermarkStrategy<T> | string, name?: string): DataStream<T> {
    return this.source(connectorSource(this.streamGraph.nextIndex, source, strategyOrName, name, this.parallelism));
  }

  /** Everything declared so far (for planning; Flink's getStreamGraph). */
  getStreamGraph(): StreamGraph {
    return this.streamGraph;
  }

  /**
   * Runs the pipeline declared so far and resolves when the job FINISHED; rejects with JOB_FAILED or
   * JOB_CANCELED naming the cause. While the module is being planned (by a TaskManager) it starts
   * nothing and never settles: what follows it runs only in the client, after the job, as the code
   * after execute() in Flink's main().
   */
  execute(jobName?: string): Promise<JobExecutionResult> {
    try {
      return executeJob(this.executionPlan(jobName));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Runs the pipeline and yields, on this client, the records of every stream nothing consumes (a
   * collect sink is added to each). The job starts at the first read; `break` cancels it; a failed
   * job makes the next read reject. While the module is being planned, the first read never settles.
   */
  executeAndCollect<T = unknown>(jobName?: string): AsyncIterableIterator<T> {
    return collectJob<T>(this.executionPlan(jobName), resultSinks(this.streamGraph));
  }

  private source<T>(transformation: SourceTransformation): DataStream<T> {
    return new DataStream<T>(this.streamGraph, this.streamGraph.add(transformation));
  }

  private executionPlan(jobName: string | undefined): ExecutionPlan {
    if (jobName !== undefined) this.setJobName(jobName);
    const { cluster, jobModule, args, parallelism } = this.options;
    return {
      planning: this.planning,
      executor: this.executor,
      jobName: this.jobName,
      graph: this.streamGraph,
      parallelism: this.parallelism,
      cluster,
      module: (env) => adoptPipeline(env, this),
      modulePath: jobModule ?? (cluster === undefined ? undefined : process.argv[1]),
      args: args ?? process.argv.slice(2),
      planParallelism: parallelism,
    };
  }

  static {
    enterPlanning = (env, onExecution) => {
      env.planning = onExecution;
    };
    bindExecutor = (env, executor) => {
      env.executor = executor;
    };
    adoptPipeline = (env, from) => {
      env.streamGraph = from.streamGraph;
      env.jobName = from.jobName;
      env.maxParallelism = from.maxParallelism;
      env.runtimeMode = from.runtimeMode;
      env.bufferTimeoutMs = from.bufferTimeoutMs;
      env.autoWatermarkIntervalMs = from.autoWatermarkIntervalMs;
      env.objectReuse = from.objectReuse;
      env.chainingEnabled = from.chainingEnabled;
      env.checkpointConfig = from.checkpointConfig;
      env.restartStrategy = from.restartStrategy;
    };
  }
}

/** For planJob: the JobGraph's checkpointing and restart strategy, each only when the job set it. */
export function faultToleranceSettings(env: StreamExecutionEnvironment): { readonly checkpointing?: CheckpointingSettings; readonly restartStrategy?: RestartStrategySettings } {
  const checkpointing = checkpointingSettings(env.getCheckpointConfig());
  const restartStrategy = env.getRestartStrategy();
  return { ...(checkpointing ? { checkpointing } : {}), ...(restartStrategy ? { restartStrategy } : {}) };
}

/**
 * For planJob: the module is being planned, so an execution in it (execute(), the first read of a
 * collect) must start no job of its own: it calls `onExecution` and never settles.
 */
export function enterPlanningMode(env: StreamExecutionEnvironment, onExecution: () => void = () => undefined): void {
  enterPlanning(env, onExecution);
}

/** For the client that runs a job module (weir run): the environment's executions go to `executor`, which that client closes. */
export function useExecutor(env: StreamExecutionEnvironment, executor: JobExecutor): void {
  bindExecutor(env, executor);
}
