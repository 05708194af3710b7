// Which operators share a task (Flink's StreamingJobGraphGenerator.isChainable): an operator joins
// its input's chain when its only input edge is forward, both sides have the same parallelism, and
// neither side forbids it (disableChaining on either, startNewChain on the operator, or chaining
// disabled for the whole job). Every other edge is a network exchange between two vertices.
import type { StreamEdge, StreamNode } from './stream-nodes.ts';

/** The operators of one vertex: the head (a source or the target of network edges) and the rest. */
export interface Chain {
  readonly head: StreamNode;
  /** Head first, then every chained operator in topological order. */
  readonly nodes: readonly StreamNode[];
}

export function isChainable(edge: StreamEdge, chainingEnabled: boolean): boolean {
  const { source, target } = edge;
  return (
    chainingEnabled &&
    target.inputs.length === 1 &&
    edge.partitioning === 'forward' &&
    source.parallelism === target.parallelism &&
    target.chaining === 'always' &&
    source.chaining !== 'never'
  );
}

/** The chains of `nodes` (topologically ordered), ordered by their heads: a topological order too. */
export function formChains(nodes: readonly StreamNode[], chainingEnabled: boolean): Chain[] {
  const headOf = new Map<StreamNode, StreamNode>();
  const members = new Map<StreamNode, StreamNode[]>();
  for (const node of nodes) {
    const input = node.inputs.length === 1 ? node.inputs[0] : undefined;
    const head = input && isChainable(input, chainingEnabled) ? (headOf.get(input.source) as StreamNode) : node;
    headOf.set(node, head);
    const chain = members.get(head);
    if (chain) chain.push(node);
    else members.set(head, [node]);
  }
  return [...members].map(([head, chainNodes]) => ({ head, nodes: chainNodes }));
}
