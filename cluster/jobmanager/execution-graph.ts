// The ExecutionGraph: one execution per subtask of every vertex, with its state and where it runs.
// Pure data; the JobManager actor decides what to do with the transitions.
import type { VertexDetails } from '../../messages/dispatcher.ts';
import { type ExecutionAttemptId, type ResourceId, newExecutionAttemptId } from '../../messages/ids.ts';
import type { JobGraph, JobVertex } from '../../messages/job-graph.ts';
import type { AllocatedSlot } from '../../messages/resource-manager.ts';
import type { SubtaskMetrics } from '../../messages/metrics.ts';
import { type ErrorInfo, type ExecutionState, isTerminalExecutionState } from '../../messages/job-status.ts';

export interface Execution {
  readonly vertex: JobVertex;
  readonly subtaskIndex: number;
  readonly attemptId: ExecutionAttemptId;
  readonly attemptNumber: number;
  state: ExecutionState;
  resourceId?: ResourceId;
  /** The slot it was deployed into. */
  slot?: AllocatedSlot;
  error?: ErrorInfo;
  /** The figures it reported with its final state. */
  finalMetrics?: SubtaskMetrics;
}

export class ExecutionGraph {
  private readonly byAttempt = new Map<ExecutionAttemptId, Execution>();
  private current: readonly Execution[];

  constructor(readonly graph: JobGraph) {
    const executions: Execution[] = [];
    for (const vertex of graph.vertices) {
      for (let subtaskIndex = 0; subtaskIndex < vertex.parallelism; subtaskIndex++) {
        const execution: Execution = { vertex, subtaskIndex, attemptId: newExecutionAttemptId(), attemptNumber: 0, state: 'CREATED' };
        executions.push(execution);
        this.byAttempt.set(execution.attemptId, execution);
      }
    }
    this.current = executions;
  }

  /** The current attempt of every subtask, vertex after vertex. */
  get executions(): readonly Execution[] {
    return this.current;
  }

  /** A failover: every subtask gets a new attempt (its number + 1), CREATED; the old attempts are forgotten (their late reports are ignored). */
  restartAll(): void {
    this.byAttempt.clear();
    this.current = this.current.map(({ vertex, subtaskIndex, attemptNumber }) => {
      const execution: Execution = { vertex, subtaskIndex, attemptId: newExecutionAttemptId(), attemptNumber: attemptNumber + 1, state: 'CREATED' };
      this.byAttempt.set(execution.attemptId, execution);
      return execution;
    });
  }

  get(attemptId: ExecutionAttemptId): Execution | undefined {
    return this.byAttempt.get(attemptId);
  }

  /** Applies a reported state; false when the execution is unknown or already terminal. */
  update(attemptId: ExecutionAttemptId, state: ExecutionState, error?: ErrorInfo): boolean {
    const execution = this.byAttempt.get(attemptId);
    if (!execution || isTerminalExecutionState(execution.state)) return false;
    execution.state = state;
    if (error) execution.error = error;
    return true;
  }

  /** The attempt number of the subtask's current execution. */
  attemptOf(vertexId: string, subtaskIndex: number): number {
    return this.executions.find((e) => e.vertex.id === vertexId && e.subtaskIndex === subtaskIndex)?.attemptNumber ?? 0;
  }

  get allFinished(): boolean {
    return this.executions.every((e) => e.state === 'FINISHED');
  }

  get allTerminal(): boolean {
    return this.executions.every((e) => isTerminalExecutionState(e.state));
  }

  nonTerminal(): Execution[] {
    return this.executions.filter((e) => !isTerminalExecutionState(e.state));
  }

  onTaskManager(resourceId: ResourceId): Execution[] {
    return this.executions.filter((e) => e.resourceId === resourceId);
  }

  details(): VertexDetails[] {
    return this.graph.vertices.map((vertex) => ({
      id: vertex.id,
      name: vertex.name,
      parallelism: vertex.parallelism,
      subtasks: this.executions.filter((e) => e.vertex === vertex).map((e) => e.state),
    }));
  }
}
