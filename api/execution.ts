// Running what an environment declared: execute(), executeAndCollect() and toObservable() go through
// here to a JobExecutor (api/executor.ts), one per execution, closed when the job has ended.
//
// Embedded, the executor plans the environment's own StreamGraph (the module it submits adopts it),
// so user functions are found by operator id in this process. Remote, the client ships the job
// module's file and every process plans its default export again, as `weir run` does.
//
// While a module is being planned (by a TaskManager, by a client planning its bundle) its
// environment is in planning mode: execute() and the first read of a collect iterable or observable
// tell the planner that the module reached its execution, and never settle. So the module starts no
// job there, and its code after the execution runs only in the client that runs the module, after
// the job (Flink's main()). Under `weir run` that client is the CLI, whose executor the environment
// is given (useExecutor).
import { Observable } from 'rxjs';
import type { JobId } from '../messages/ids.ts';
import type { CollectReceiver } from './collect/channel.ts';
import { COLLECT_SINK_KIND, type CollectBinding, type CollectSinkConfig } from './collect/target.ts';
import { type JobExecutor, type JobHandle, createJobExecutor } from './executor.ts';
import type { StreamGraph } from './graph/stream-graph.ts';
import { type OperatorTransformation, type Transformation, isPhysical, operatorId, parallelismOf } from './graph/transformation.ts';
import type { JobModule } from './job-module.ts';
import { declareCollectSink } from './sinks/collect-sink.ts';

/** Where an environment's jobs run, and what a remote cluster needs to plan them. */
export interface ExecutionEnvironmentOptions {
  /** "host:port" of a JobManager; default: an embedded mini cluster started for each execution. */
  readonly cluster?: string;
  /** The environment's parallelism, and the one a remote cluster plans the module with (`weir run -p`). */
  readonly parallelism?: number;
  /**
   * Remote: the job module file to ship (default: the script Node runs, process.argv[1]). Its default
   * export must declare the same pipeline as this program, collect sinks included.
   */
  readonly jobModule?: string;
  /** Remote: the args its default export is planned with (default: process.argv.slice(2)). */
  readonly args?: readonly string[];
}

/** What execute() resolves with once the job FINISHED (Flink's JobExecutionResult). */
export interface JobExecutionResult {
  readonly jobId: JobId;
  readonly jobName: string;
  /** From submission to the end of the job, as the client saw it. */
  readonly netRuntimeMs: number;
}

/** What an execution needs from its environment, read when it starts. */
export interface ExecutionPlan {
  /** Set while the module is being planned: an execution calls it and never settles. */
  readonly planning: (() => void) | undefined;
  /** The executor of the client that runs the module (weir run), which owns it; else one is made per execution. */
  readonly executor: JobExecutor | undefined;
  readonly jobName: string;
  readonly graph: StreamGraph;
  /** The environment's parallelism: the mini cluster gets at least that many slots. */
  readonly parallelism: number;
  /** Undefined: the embedded mini cluster. */
  readonly cluster: string | undefined;
  /** Declares the environment's pipeline on the environment it is given (embedded). */
  readonly module: JobModule;
  /** Remote: the job module's file, its args, and the parallelism it is planned with. */
  readonly modulePath: string | undefined;
  readonly args: readonly string[];
  readonly planParallelism: number | undefined;
}

export type ExecutionPlanSource = (jobName: string | undefined) => ExecutionPlan;

/** Each environment's plan source, by its graph: how a DataStream reaches the environment it came from. */
const environments = new WeakMap<StreamGraph, ExecutionPlanSource>();

export function registerEnvironment(graph: StreamGraph, source: ExecutionPlanSource): void {
  environments.set(graph, source);
}

function planOf(graph: StreamGraph, jobName: string | undefined): ExecutionPlan {
  const source = environments.get(graph);
  if (!source) throw new Error('this stream belongs to no StreamExecutionEnvironment');
  return source(jobName);
}

export async function executeJob(plan: ExecutionPlan): Promise<JobExecutionResult> {
  if (plan.planning) return reachedWhilePlanning(plan.planning);
  const job = await startJob(plan, null);
  try {
    const finished = await job.handle.result();
    return { jobId: job.handle.jobId, jobName: finished.jobName, netRuntimeMs: Date.now() - job.startedAt };
  } finally {
    await job.release();
  }
}

/** Tells the planner the module reached its execution; the promise never settles, so nothing after it runs. */
function reachedWhilePlanning(onExecution: () => void): Promise<never> {
  onExecution();
  return new Promise<never>(() => undefined);
}

/** Runs the job at the first read and yields what reaches `sinks`; `break` cancels the job. */
export function collectJob<T>(plan: ExecutionPlan, sinks: readonly OperatorTransformation[]): AsyncIterableIterator<T> {
  return new CollectIterator<T>(plan, sinks);
}

/** A cold Observable: each subscription runs the job; unsubscribing cancels it. */
export function observeJob<T>(makePlan: () => ExecutionPlan, sinks: readonly OperatorTransformation[]): Observable<T> {
  return new Observable<T>((subscriber) => {
    const iterator = new CollectIterator<T>(makePlan(), sinks);
    let active = true;
    const pump = async (): Promise<void> => {
      try {
        for (;;) {
          const result = await iterator.next();
          if (!active) return;
          if (result.done) {
            subscriber.complete();
            return;
          }
          subscriber.next(result.value);
        }
      } catch (error) {
        if (active) subscriber.error(error);
      }
    };
    void pump();
    return () => {
      active = false;
      void iterator.return();
    };
  });
}

/** DataStream.executeAndCollect(): a collect sink on `input`, and the environment's job run for it. */
export function collectStream<T>(graph: StreamGraph, input: Transformation, jobName: string | undefined): AsyncIterableIterator<T> {
  const sink = declareCollectSink(graph, input);
  return collectJob<T>(planOf(graph, jobName), [sink]);
}

/** DataStream.toObservable(): the collect sink is declared now, the job runs per subscription. */
export function observeStream<T>(graph: StreamGraph, input: Transformation, jobName: string | undefined): Observable<T> {
  const sink = declareCollectSink(graph, input);
  return observeJob<T>(() => planOf(graph, jobName), [sink]);
}

/**
 * env.executeAndCollect(): a collect sink on every stream nothing consumes (the pipeline's open ends,
 * in declaration order). Called again, it reads the sinks it declared before.
 */
export function resultSinks(graph: StreamGraph): OperatorTransformation[] {
  const consumed = new Set<Transformation>();
  // A side output reads its operator's other outputs, not its main one: that stays an open end.
  for (const transformation of graph.transformations) {
    if (transformation.role === 'side-output') continue;
    for (const input of inputsOf(transformation)) consumed.add(input);
  }
  const existing = graph.transformations.filter(
    (transformation): transformation is OperatorTransformation => transformation.kind === COLLECT_SINK_KIND && transformation.role === 'sink' && resultSinkMarks.has(transformation),
  );
  const open = graph.transformations.filter((transformation) => transformation.role !== 'sink' && !consumed.has(transformation));
  const declared = open.map((transformation) => {
    const sink = declareCollectSink(graph, transformation);
    resultSinkMarks.add(sink);
    return sink;
  });
  return [...existing, ...declared];
}

/** The collect sinks env.executeAndCollect() declared. */
const resultSinkMarks = new WeakSet<OperatorTransformation>();

function inputsOf(transformation: Transformation): readonly Transformation[] {
  switch (transformation.role) {
    case 'source':
      return [];
    case 'operator':
    case 'sink':
    case 'union':
      return transformation.inputs;
    case 'partition':
    case 'side-output':
      return [transformation.input];
    default: {
      const impossible: never = transformation;
      return impossible;
    }
  }
}

interface StartedJob {
  readonly executor: JobExecutor;
  /** Closes the executor if this execution made it. */
  readonly release: () => Promise<void>;
  readonly handle: JobHandle;
  readonly receiver: CollectReceiver | undefined;
  readonly startedAt: number;
}

/** Binding a graph's collect sinks and planning it happen one execution at a time per graph. */
const graphLocks = new WeakMap<StreamGraph, Promise<unknown>>();

async function startJob(plan: ExecutionPlan, sinks: readonly OperatorTransformation[] | null): Promise<StartedJob> {
  const executor = plan.executor ?? (await createJobExecutor(plan.cluster === undefined ? { kind: 'embedded', slots: requiredSlots(plan) } : { kind: 'remote', address: plan.cluster }));
  const release = (): Promise<void> => (plan.executor === undefined ? executor.close() : Promise.resolve());
  let receiver: CollectReceiver | undefined;
  try {
    receiver = sinks ? await executor.openCollect() : undefined;
    const binding: CollectBinding | undefined = receiver && sinks ? { target: receiver.target, operatorIds: sinks.map(operatorId) } : undefined;
    const startedAt = Date.now();
    const handle = await withGraphLock(plan.graph, () => {
      bindCollectSinks(plan.graph, binding);
      return executor.submit({
        jobName: plan.jobName,
        module: plan.module,
        args: plan.args,
        ...(plan.modulePath === undefined ? {} : { modulePath: plan.modulePath }),
        ...(plan.planParallelism === undefined ? {} : { parallelism: plan.planParallelism }),
        ...(binding ? { collect: binding } : {}),
      });
    });
    return { executor, release, handle, receiver, startedAt };
  } catch (error) {
    receiver?.close();
    await release();
    throw error;
  }
}

async function withGraphLock<T>(graph: StreamGraph, critical: () => Promise<T>): Promise<T> {
  const previous = graphLocks.get(graph) ?? Promise.resolve();
  const current = previous.then(critical, critical);
  graphLocks.set(
    graph,
    current.catch(() => undefined),
  );
  return current;
}

/** The graph's collect sinks: `binding`'s get its target, every other one none (it drops its records). */
function bindCollectSinks(graph: StreamGraph, binding: CollectBinding | undefined): void {
  const ids = new Set(binding?.operatorIds ?? []);
  for (const transformation of graph.transformations) {
    if (transformation.kind !== COLLECT_SINK_KIND || transformation.role !== 'sink') continue;
    (transformation.config as unknown as CollectSinkConfig).target = binding && ids.has(operatorId(transformation)) ? binding.target : null;
  }
}

/** Slots the mini cluster needs: the highest parallelism of any operator (slot sharing). */
function requiredSlots(plan: ExecutionPlan): number {
  let slots = plan.parallelism;
  for (const transformation of plan.graph.transformations) if (isPhysical(transformation)) slots = Math.max(slots, parallelismOf(transformation));
  return slots;
}

/**
 * The records of one execution's collect sinks. The job starts at the first next(); return() (a
 * `break`) cancels it and settles once the job has ended and its executor is closed.
 */
class CollectIterator<T> implements AsyncIterableIterator<T> {
  private started: Promise<StartedJob> | null = null;
  /** Settles once the job ended and the executor is closed (never rejects). */
  private cleanedUp: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly plan: ExecutionPlan,
    private readonly sinks: readonly OperatorTransformation[],
  ) {}

  async next(): Promise<IteratorResult<T>> {
    if (this.plan.planning) return reachedWhilePlanning(this.plan.planning);
    if (this.stopped) return { done: true, value: undefined };
    this.started ??= this.start();
    const job = await this.started;
    return (await (job.receiver as CollectReceiver).channel.next()) as IteratorResult<T>;
  }

  async return(): Promise<IteratorResult<T>> {
    this.stopped = true;
    if (this.started) {
      try {
        (await this.started).receiver?.channel.close();
      } catch {
        // the job never started: nothing to stop
      }
      await this.cleanedUp;
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async start(): Promise<StartedJob> {
    const job = await startJob(this.plan, this.sinks);
    const { handle } = job;
    const receiver = job.receiver as CollectReceiver;
    const channel = receiver.channel;
    channel.onReaderStopped = () => void handle.cancel().catch(() => undefined);
    this.cleanedUp = handle
      .result()
      .then(
        () => channel.end(),
        (error: unknown) => channel.fail(error),
      )
      .then(() => {
        receiver.close();
        return job.release();
      })
      .catch(() => undefined);
    if (this.stopped) channel.close();
    return job;
  }
}
