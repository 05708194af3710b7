import test from 'ava';
import { edgePath, layoutGraph } from '../../../../../../cluster/dispatcher/console/app/lib/graph-layout.ts';

const SIZE = { nodeWidth: 200, nodeHeight: 80 };

test('a pipeline is laid out left to right, one column per step, every box the same size', (t) => {
  const layout = layoutGraph([{ id: 'source' }, { id: 'map' }, { id: 'sink' }], [{ source: 'source', target: 'map' }, { source: 'map', target: 'sink' }], SIZE);
  const [source, map, sink] = layout.nodes;
  t.true(source!.x + source!.width <= map!.x && map!.x + map!.width <= sink!.x, JSON.stringify(layout.nodes));
  t.is(source!.y, map!.y);
  t.is(map!.y, sink!.y);
  for (const node of layout.nodes) t.deepEqual([node.width, node.height], [200, 80]);
  t.true(layout.width >= sink!.x + sink!.width && layout.height >= 80);
});

test('an edge runs from its source box\'s right side to its target box\'s left side', (t) => {
  const layout = layoutGraph([{ id: 'a' }, { id: 'b' }], [{ source: 'a', target: 'b', label: 'HASH' }], SIZE);
  const [a, b] = layout.nodes;
  const [edge] = layout.edges;
  const first = edge!.points[0]!;
  const last = edge!.points[edge!.points.length - 1]!;
  t.is(edge!.label, 'HASH');
  t.is(first.x, a!.x + a!.width);
  t.is(last.x, b!.x);
  t.is(edgePath([{ x: 1, y: 2 }, { x: 3.25, y: 4 }]), 'M1.0,2.0 L3.3,4.0');
});

test('two branches from one source sit in one column, without overlapping', (t) => {
  const layout = layoutGraph([{ id: 'source' }, { id: 'left' }, { id: 'right' }], [{ source: 'source', target: 'left' }, { source: 'source', target: 'right' }], SIZE);
  const [, left, right] = layout.nodes;
  t.is(left!.x, right!.x);
  t.true(Math.abs(left!.y - right!.y) >= 80, JSON.stringify(layout.nodes));
});

test('edges naming a vertex the graph does not have are left out rather than breaking the layout', (t) => {
  const layout = layoutGraph([{ id: 'a' }], [{ source: 'ghost', target: 'a' }], SIZE);
  t.is(layout.nodes.length, 1);
  t.deepEqual(layout.edges, []);
});
