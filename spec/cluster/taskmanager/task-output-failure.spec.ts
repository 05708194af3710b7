// The Task and its output partitions: a record the task emitted that a remote channel cannot send
// (see spec/cluster/taskmanager/network/producer-failures.spec.ts) fails the producing task itself,
// naming its vertex and the operator that emitted the record, and releases its partitions.
import test from 'ava';
import { planJob } from '../../../api/runtime/plan.ts';
import { describeEdgeProducer } from '../../../cluster/jobmanager/deployment.ts';
import { NetworkEnvironment, partitionKey } from '../../../cluster/taskmanager/network/network-environment.ts';
import type { PartitionOptions, ResultPartition } from '../../../cluster/taskmanager/network/result-partition.ts';
import { type TaskStateChanged, task } from '../../../cluster/taskmanager/task.ts';
import { WeirError } from '../../../messages/errors.ts';
import { jobId } from '../../../messages/ids.ts';
import { outputEdges } from '../../../messages/job-graph.ts';
import unencodableJob from '../../e2e/fixtures/unencodable-job.ts';
import { TestProbe, createTestSystem } from '../../testkit/index.ts';
import { descriptorFor, fakeJobManager } from '../helpers.ts';

const JOB = jobId('job-1');

/** A network environment that hands the spec every partition a task creates in it. */
class WatchedNetwork extends NetworkEnvironment {
  readonly created: ResultPartition[] = [];

  override createPartition(key: string, channels: number, bufferTimeoutMs: number, options?: PartitionOptions): ResultPartition {
    const partition = super.createPartition(key, channels, bufferTimeoutMs, options);
    this.created.push(partition);
    return partition;
  }
}

test('a record its output cannot send ends the task FAILED, naming the vertex and the operator, without CANCELING', async (t) => {
  // Tag's records hold a Symbol; with no consumer attached nothing encodes them, the spec fails the partition.
  const plan = await planJob(unencodableJob, []);
  const [producerVertex, consumerVertex] = plan.graph.vertices;
  const [edge] = outputEdges(plan.graph, producerVertex.id);
  const producer = describeEdgeProducer(producerVertex, edge, consumerVertex);
  const key = partitionKey(JOB, producerVertex.id, 0, 0, consumerVertex.id, 0);

  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const jm = system.spawn(fakeJobManager([], producerVertex.splits ?? []), 'jm');
  const states = new TestProbe<TaskStateChanged>(system, 'task-manager');
  const network = new WatchedNetwork(() => true);
  const descriptor = descriptorFor(JOB, producerVertex, jm, { outputs: [{ partitionKey: key, subpartitions: 1, producer }], bufferTimeoutMs: 100 });
  system.spawn(task({ descriptor, loader: { load: () => Promise.resolve(plan), release: () => {} }, reportTo: states.ref, network, stdout: () => {} }), 'task');
  t.is((await states.expectMessage()).state, 'INITIALIZING');
  t.is((await states.expectMessage()).state, 'RUNNING');

  const [partition] = network.created;
  t.is(partition.producer, producer, 'the partition knows who writes into it');
  const message = `cannot encode a batch of 1000 records from ${producer}: Unknown type: symbol`;
  partition.fail(new WeirError('RECORD_ENCODING_FAILED', message));
  partition.fail(new WeirError('FRAME_TOO_LARGE', 'a second failure is not passed on'));

  const failed = await states.expectMessage();
  t.is(failed.state, 'FAILED', 'its own fault: no CANCELING first');
  t.is(failed.error?.code, 'RECORD_ENCODING_FAILED');
  t.is(failed.error?.message, `${producerVertex.name} (1/1): failed: ${message}`);
  t.is(network.partitionCount, 0, 'the failed task released its partition');
  await states.expectNoMessage(50);
});
