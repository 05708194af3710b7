// Lays a job graph out left to right with dagre: sources on the left, sinks on the right, every
// box the same size so the picture does not move as the numbers in it change.
import dagre from '@dagrejs/dagre';

export interface GraphNodeInput {
  readonly id: string;
}

export interface GraphEdgeInput {
  readonly source: string;
  readonly target: string;
  /** How records cross the edge (FORWARD, HASH, REBALANCE...), drawn on it. */
  readonly label?: string;
}

export interface PlacedNode {
  readonly id: string;
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  /** From the source box's right side to the target box's left side. */
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

export interface LayoutOptions {
  readonly nodeWidth: number;
  readonly nodeHeight: number;
  /** Space between columns (ranks) and between boxes in one column. */
  readonly rankSep?: number;
  readonly nodeSep?: number;
  /** Around the whole drawing. */
  readonly margin?: number;
}

/**
 * Places every node and routes every edge. Edges naming a node that is not in `nodes` are left out
 * (a plan the REST API sent only in part must not break the picture).
 */
export function layoutGraph(nodes: readonly GraphNodeInput[], edges: readonly GraphEdgeInput[], options: LayoutOptions): GraphLayout {
  const margin = options.margin ?? 16;
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', ranksep: options.rankSep ?? 56, nodesep: options.nodeSep ?? 24, marginx: margin, marginy: margin });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set<string>();
  for (const node of nodes) {
    known.add(node.id);
    graph.setNode(node.id, { width: options.nodeWidth, height: options.nodeHeight });
  }
  const kept = edges.filter((edge) => known.has(edge.source) && known.has(edge.target));
  kept.forEach((edge, index) => graph.setEdge(edge.source, edge.target, {}, `e${index}`));
  dagre.layout(graph);

  const placed: PlacedNode[] = nodes.map((node) => {
    const label = graph.node(node.id) as { x: number; y: number; width: number; height: number };
    return { id: node.id, x: label.x - label.width / 2, y: label.y - label.height / 2, width: label.width, height: label.height };
  });
  const routed: PlacedEdge[] = kept.map((edge, index) => {
    const label = graph.edge({ v: edge.source, w: edge.target, name: `e${index}` }) as { points?: { x: number; y: number }[] };
    const points = (label.points ?? []).map((point) => ({ x: point.x, y: point.y }));
    return { source: edge.source, target: edge.target, ...(edge.label !== undefined ? { label: edge.label } : {}), points };
  });
  const size = graph.graph() as { width?: number; height?: number };
  return { width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), nodes: placed, edges: routed };
}

/** An SVG path through the points: straight segments, which dagre's routing keeps clear of the boxes. */
export function edgePath(points: readonly { readonly x: number; readonly y: number }[]): string {
  return points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ');
}
