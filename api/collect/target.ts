// Where a collect sink delivers: data in the sink's operator config, so it travels in the JobGraph.
// A job's collect sinks are bound to the receiver of the execution that started the job; a collect
// sink nobody is reading (a job run by `weir run`, or by execute()) has no target and drops its
// records, as print() of a detached job writes to no one's terminal.
import { WeirError } from '../../messages/errors.ts';
import type { JobGraph } from '../../messages/job-graph.ts';

export const COLLECT_SINK_KIND = 'sink-collect';

/** In this process (the embedded mini cluster), or a client actor at a weir:// path. */
export type CollectTarget = { readonly kind: 'local'; readonly channel: string } | { readonly kind: 'remote'; readonly receiver: string };

/** The sinks of one execution and their receiver. */
export interface CollectBinding {
  readonly target: CollectTarget;
  /** The operator ids of the collect sinks whose records the execution reads. */
  readonly operatorIds: readonly string[];
}

/** A collect sink's config: its target, null while no execution reads it. */
export interface CollectSinkConfig {
  target: CollectTarget | null;
}

/** The target in a collect sink's config, checked: it arrives as data from the client. */
export function collectTargetOf(config: Readonly<Record<string, unknown>>, operator: string): CollectTarget | null {
  const target = config.target as Partial<CollectTarget> | null | undefined;
  if (target === null || target === undefined) return null;
  if (target.kind === 'local' && typeof target.channel === 'string') return target as CollectTarget;
  if (target.kind === 'remote' && typeof target.receiver === 'string') return target as CollectTarget;
  throw new WeirError('COLLECT_FAILED', `${operator}: its collect target is not a local channel or a remote receiver: ${JSON.stringify(target)}`);
}

/** The graph with `binding`'s target in the config of its collect sinks (a remote client's plan). */
export function bindCollectSinks(graph: JobGraph, binding: CollectBinding): JobGraph {
  const ids = new Set(binding.operatorIds);
  const missing = [...ids].filter((id) => !graph.vertices.some((vertex) => vertex.operators.some((operator) => operator.id === id)));
  if (missing.length > 0) {
    throw new WeirError(
      'PLAN_MISMATCH',
      `job "${graph.name}": the job module's default export did not declare the collect sink(s) ${missing.map((id) => `"${id}"`).join(', ')} that this client reads; it must declare the same pipeline as the program`,
    );
  }
  return {
    ...graph,
    vertices: graph.vertices.map((vertex) => ({
      ...vertex,
      operators: vertex.operators.map((operator) =>
        operator.kind === COLLECT_SINK_KIND && ids.has(operator.id) ? { ...operator, config: { ...operator.config, target: binding.target } } : operator,
      ),
    })),
  };
}
