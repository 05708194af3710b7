// planJob: runs a job module against a fresh environment and returns its plan: the JobGraph to
// submit and, for the Task actor, a way to build any subtask of any vertex. The client plans to
// submit; each TaskManager plans the same module again to get the user functions (same code, same
// ids), and its createSubtask checks that the submitted vertex matches what it planned.
import { WeirError } from '../../messages/errors.ts';
import type { JobGraph, JobVertex, OperatorDescriptor } from '../../messages/job-graph.ts';
import { StreamExecutionEnvironment, enterPlanningMode, faultToleranceSettings } from '../environment.ts';
import { type BuiltJobGraph, type PlannedVertex, buildJobGraph } from '../graph/job-graph-builder.ts';
import type { StreamNode } from '../graph/stream-nodes.ts';
import type { JobModule, JobModuleNamespace } from '../job-module.ts';
import { buildChain } from './chain-builder.ts';
import { ChainSubtask } from './chain-subtask.ts';
import type { JobPlan, RunnableSubtask, SplitEnumeratorRuntime, SubtaskContext } from './subtask.ts';

export interface PlanOptions {
  /** The environment's parallelism before the module runs (`weir run -p`); the module may change it. */
  readonly parallelism?: number;
  /** The job's name unless the module sets one. */
  readonly jobName?: string;
}

/** `module` is the default export, or the namespace object a dynamic import() gives. */
export async function planJob(module: JobModule | JobModuleNamespace, args: readonly string[], options: PlanOptions = {}): Promise<JobPlan> {
  const main = typeof module === 'function' ? module : (module as Partial<JobModuleNamespace> | null)?.default;
  if (typeof main !== 'function') {
    throw new WeirError('INVALID_JOB_MODULE', `a job module must default-export a function (env, args) => void; got ${typeof main}`);
  }
  const env = new StreamExecutionEnvironment();
  // The module is being planned, not run: its execution (execute(), a collect's first read) starts
  // no job and never settles; the pipeline is what it declared up to there.
  let reachedExecution!: () => void;
  const executionReached = new Promise<void>((resolve) => (reachedExecution = resolve));
  enterPlanningMode(env, reachedExecution);
  if (options.parallelism !== undefined) env.setParallelism(options.parallelism);
  if (options.jobName !== undefined) env.setJobName(options.jobName);
  await Promise.race([main(env, args), executionReached]);
  const streamGraph = env.getStreamGraph();
  streamGraph.seal();
  const built = buildJobGraph(streamGraph, {
    jobName: env.getJobName(),
    maxParallelism: env.getMaxParallelism(),
    runtimeMode: env.getRuntimeMode(),
    bufferTimeoutMs: env.getBufferTimeout(),
    autoWatermarkIntervalMs: env.getAutoWatermarkInterval(),
    objectReuse: env.isObjectReuseEnabled(),
    chainingEnabled: env.isChainingEnabled(),
    ...faultToleranceSettings(env),
  });
  return new ChainJobPlan(built);
}

class ChainJobPlan implements JobPlan {
  constructor(private readonly built: BuiltJobGraph) {}

  get graph(): JobGraph {
    return this.built.graph;
  }

  createSubtask(vertex: JobVertex, context: SubtaskContext): RunnableSubtask {
    const chain = this.planned(vertex);
    const submitted = vertex.operators.map((operator) => `${operator.id}:${operator.kind}`).join(', ');
    const planned = chain.vertex.operators.map((operator) => `${operator.id}:${operator.kind}`).join(', ');
    if (submitted !== planned) {
      throw new WeirError('PLAN_MISMATCH', `vertex "${vertex.id}" was submitted with operators [${submitted}] but the job module planned [${planned}] here`);
    }
    const { subtaskIndex, parallelism } = context;
    if (!Number.isInteger(subtaskIndex) || subtaskIndex < 0 || subtaskIndex >= parallelism) {
      throw new WeirError('ILLEGAL_SUBTASK_STATE', `${vertex.name}: subtask index ${subtaskIndex} is outside 0..${parallelism - 1}`);
    }
    return new ChainSubtask(buildChain(withSubmittedConfig(chain, vertex), this.built, context), `${vertex.name} (${subtaskIndex + 1}/${parallelism})`, context);
  }

  createSplitEnumerator(vertex: JobVertex): SplitEnumeratorRuntime {
    const chain = this.planned(vertex);
    const head = chain.nodes[0];
    const descriptor = chain.descriptors.get(head);
    if (!head.source?.createEnumerator || !descriptor) {
      throw new WeirError('PLAN_MISMATCH', `vertex "${vertex.id}" (${vertex.name}) has no split enumerator in this plan of the job: the job module declared a different pipeline`);
    }
    return head.source.createEnumerator(descriptor, { jobName: this.built.graph.name, parallelism: vertex.parallelism });
  }

  private planned(vertex: JobVertex): PlannedVertex {
    const chain = this.built.vertices.get(vertex.id);
    if (!chain) {
      const known = [...this.built.vertices.keys()].map((id) => `"${id}"`).join(', ');
      throw new WeirError('PLAN_MISMATCH', `vertex "${vertex.id}" (${vertex.name}) is not in this plan of the job (it has ${known}): the job module declared a different pipeline`);
    }
    return chain;
  }
}

/**
 * The submitted vertex's operator configs win over the ones planned here: the client may bind data
 * that only it knows (where a collect sink delivers) after planning. Ids and kinds were checked equal.
 */
function withSubmittedConfig(planned: PlannedVertex, submitted: JobVertex): PlannedVertex {
  if (submitted === planned.vertex) return planned;
  const configs = new Map(submitted.operators.map((operator) => [operator.id, operator.config]));
  const descriptors = new Map<StreamNode, OperatorDescriptor>();
  for (const [node, descriptor] of planned.descriptors) descriptors.set(node, { ...descriptor, config: configs.get(descriptor.id) ?? descriptor.config });
  return { ...planned, descriptors };
}
