// Runs a whole JobPlan in memory, as the cluster would but without actors: every subtask of every
// vertex, wired by the graph's edges through MemoryExchanges (gates in `vertex.inputs` order, writers
// in `outputEdges` order), opened, then stepped round robin until all finish, then closed. A round in
// which every subtask waits stands for the buffer timeout: every writer flushes its partial batches.
import type { JobModule } from '../../../api/index.ts';
import { planJob } from '../../../api/runtime/plan.ts';
import type { JobPlan, OutputWriter, RunnableSubtask } from '../../../api/runtime/subtask.ts';
import { outputEdges } from '../../../messages/job-graph.ts';
import { MAX_STEPS, SplitQueue, fakeContext } from '../helpers.ts';
import { type ExchangeOptions, MemoryExchange } from './memory-channels.ts';

/** Rounds in a row in which nothing could step before a run counts as stuck. */
const MAX_IDLE_ROUNDS = 500;
/** How long every subtask may wait before the harness calls the job stuck. */
const MAX_IDLE_MS = 15_000;

export interface RunPlanOptions extends ExchangeOptions {
  /** Records per step (default 7: odd, so steps end inside batches). */
  readonly maxRecords?: number;
}

export interface PlanRun {
  readonly plan: JobPlan;
  /** stdout lines per vertex id, per subtask index. */
  readonly stdout: ReadonlyMap<string, string[][]>;
  /** The exchange of each edge, by `<target vertex id>#<input index>`. */
  readonly exchanges: ReadonlyMap<string, MemoryExchange>;
}

export async function runModule(module: JobModule, options: RunPlanOptions & { readonly parallelism?: number; readonly args?: readonly string[] } = {}): Promise<PlanRun> {
  const plan = await planJob(module, options.args ?? [], options.parallelism === undefined ? {} : { parallelism: options.parallelism });
  return runPlan(plan, options);
}

export async function runPlan(plan: JobPlan, options: RunPlanOptions = {}): Promise<PlanRun> {
  const { graph } = plan;
  const exchanges = new Map<string, MemoryExchange>();
  const parallelismOf = new Map(graph.vertices.map((vertex) => [vertex.id, vertex.parallelism]));
  for (const vertex of graph.vertices) {
    vertex.inputs.forEach((edge, index) => {
      exchanges.set(`${vertex.id}#${index}`, new MemoryExchange(parallelismOf.get(edge.sourceVertexId) as number, vertex.parallelism, options));
    });
  }
  const stdout = new Map<string, string[][]>();
  const subtasks: RunnableSubtask[] = [];
  const writers: OutputWriter[] = [];
  for (const vertex of graph.vertices) {
    const splits = new SplitQueue(vertex.splits);
    const lines = Array.from({ length: vertex.parallelism }, (): string[] => []);
    stdout.set(vertex.id, lines);
    const outgoing = outputEdges(graph, vertex.id).map((out) => {
      const target = graph.vertices.find((candidate) => candidate.id === out.targetVertexId);
      return exchanges.get(`${out.targetVertexId}#${target?.inputs.indexOf(out.edge)}`) as MemoryExchange;
    });
    for (let subtaskIndex = 0; subtaskIndex < vertex.parallelism; subtaskIndex++) {
      const context = fakeContext({
        subtaskIndex,
        parallelism: vertex.parallelism,
        maxParallelism: graph.maxParallelism,
        requestSplit: () => splits.request(subtaskIndex),
        stdout: (line) => lines[subtaskIndex].push(line),
        inputs: vertex.inputs.map((_, index) => (exchanges.get(`${vertex.id}#${index}`) as MemoryExchange).gate(subtaskIndex)),
        outputs: outgoing.map((exchange) => exchange.writer(subtaskIndex)),
      });
      writers.push(...context.outputs);
      subtasks.push(plan.createSubtask(vertex, context));
    }
  }
  await Promise.all(subtasks.map((subtask) => subtask.open()));
  try {
    await stepAll(subtasks, options.maxRecords ?? 7, () => {
      for (const writer of writers) writer.flush();
    });
  } catch (error) {
    for (const subtask of subtasks) subtask.cancel();
    throw error;
  } finally {
    await Promise.all(subtasks.map((subtask) => subtask.close()));
  }
  return { plan, stdout, exchanges };
}

/** Steps every subtask once per round (skipping those waiting); a round where all wait flushes. */
async function stepAll(subtasks: readonly RunnableSubtask[], maxRecords: number, onIdle: () => void): Promise<void> {
  const settled = subtasks.map(() => true);
  const finished = subtasks.map(() => false);
  let idleRounds = 0;
  let idleSince = Date.now();
  for (let round = 0; finished.includes(false); round++) {
    if (round > MAX_STEPS) throw new Error(`the job did not finish within ${MAX_STEPS} rounds`);
    let stepped = false;
    subtasks.forEach((subtask, index) => {
      if (finished[index] || !settled[index]) return;
      stepped = true;
      const result = subtask.step(maxRecords);
      if (result.kind === 'finished') finished[index] = true;
      if (result.kind === 'wait') {
        settled[index] = false;
        void result.until.finally(() => (settled[index] = true));
      }
    });
    idleRounds = stepped ? 0 : idleRounds + 1;
    if (idleRounds === 1) {
      idleSince = Date.now();
      onIdle();
    }
    // Stuck is judged by time, not rounds: a source waiting on a timer may idle many rounds on a busy machine.
    if (idleRounds > MAX_IDLE_ROUNDS && Date.now() - idleSince > MAX_IDLE_MS) {
      throw new Error(`the job is stuck: no subtask could step for ${MAX_IDLE_MS} ms`);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
