// What the JobManager tells a subtask about its outputs: besides each partition's key and consumer
// count, who writes into it (the operator that feeds the edge, its vertex and the vertex it sends
// to), so that a record a remote channel cannot send fails the job naming that operator.
import test from 'ava';
import { planJob } from '../../../api/runtime/plan.ts';
import { describeEdgeProducer, subtaskIo } from '../../../cluster/jobmanager/deployment.ts';
import { jobId, resourceId } from '../../../messages/ids.ts';
import { type JobGraph, type JobVertex, outputEdges } from '../../../messages/job-graph.ts';
import type { AllocatedSlot } from '../../../messages/resource-manager.ts';
import unencodableJob from '../../e2e/fixtures/unencodable-job.ts';

const JOB = jobId('job-1');

/** Slots of two TaskManagers; subtaskIo reads only where they are. */
const SLOTS = [0, 1].map((index) => ({ allocationId: `a${index}`, resourceId: resourceId(`tm-${index}`), slotIndex: 0, dataAddress: `127.0.0.1:700${index}` }) as unknown as AllocatedSlot);

const FIRST_ATTEMPTS = (): number => 0;

function byName(graph: JobGraph, fragment: string): JobVertex {
  const vertex = graph.vertices.find((candidate) => candidate.name.includes(fragment));
  if (!vertex) throw new Error(`no vertex named like "${fragment}" in ${graph.vertices.map((v) => v.name).join(', ')}`);
  return vertex;
}

test('each output names the operator that feeds the edge, its vertex and the vertex it sends to', async (t) => {
  const { graph } = await planJob(unencodableJob, [], { parallelism: 2 });
  const producer = byName(graph, 'Tag');
  const consumer = byName(graph, 'Count');
  const { outputs } = subtaskIo(JOB, graph, producer, 1, SLOTS, FIRST_ATTEMPTS);
  t.is(outputs.length, 1);
  t.is(outputs[0].subpartitions, 2);
  t.is(outputs[0].producer, `operator "Tag" (id "tag") of "${producer.name}" sending to "${consumer.name}"`);
  t.deepEqual(subtaskIo(JOB, graph, consumer, 0, SLOTS, FIRST_ATTEMPTS).outputs, [], 'a vertex with no edge out has no partition');
});

test('a side output edge says which side output, and an operator the vertex lacks is named by its id', (t) => {
  const source: JobVertex = {
    id: 'v-1',
    name: 'Source: Lines -> Split',
    parallelism: 1,
    operators: [{ id: 'split', kind: 'process', name: 'Split', config: {} }],
    inputs: [],
    bounded: true,
  };
  const late: JobVertex = {
    id: 'v-2',
    name: 'Late',
    parallelism: 2,
    operators: [{ id: 'late', kind: 'map', name: 'Late', config: {} }],
    inputs: [{ sourceVertexId: 'v-1', partitioning: 'rebalance', sourceOperatorId: 'split', outputTag: 'late', targetInput: 0 }],
    bounded: true,
  };
  const graph: JobGraph = { name: 'side outputs', maxParallelism: 128, runtimeMode: 'STREAMING', vertices: [source, late] };
  const [edge] = outputEdges(graph, 'v-1');
  t.is(subtaskIo(JOB, graph, source, 0, SLOTS, FIRST_ATTEMPTS).outputs[0].producer, 'operator "Split" (id "split") (side output "late") of "Source: Lines -> Split" sending to "Late"');
  const stranger = { ...edge, edge: { ...edge.edge, sourceOperatorId: 'gone' } };
  t.is(describeEdgeProducer(source, stranger, late), 'operator id "gone" (side output "late") of "Source: Lines -> Split" sending to "Late"');
});

test('partitions are named by their producer’s attempt: a consumer reads the attempt running now, never an older one', async (t) => {
  const { graph } = await planJob(unencodableJob, [], { parallelism: 2 });
  const producer = byName(graph, 'Tag');
  const consumer = byName(graph, 'Count');
  // Subtask 1 of the producer runs its third attempt; subtask 0 its first.
  const attemptOf = (vertexId: string, subtask: number): number => (vertexId === producer.id && subtask === 1 ? 2 : 0);
  const [output] = subtaskIo(JOB, graph, producer, 1, SLOTS, attemptOf).outputs;
  t.is(output.partitionKey, `${JOB}/${producer.id}/1#2/${consumer.id}/0`);
  const [input] = subtaskIo(JOB, graph, consumer, 0, SLOTS, attemptOf).inputs;
  t.deepEqual(
    input.channels.map((channel) => channel.partitionKey),
    [`${JOB}/${producer.id}/0#0/${consumer.id}/0`, `${JOB}/${producer.id}/1#2/${consumer.id}/0`],
  );
});
