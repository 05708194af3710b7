// A record msgpack cannot encode, between TaskManager processes: a standalone cluster of two one-slot
// TaskManagers on loopback runs a job whose "Tag" operator emits records holding a Symbol into a
// keyBy at parallelism 2. The records that take a data connection cannot be encoded, and the job
// fails at once (not at a heartbeat timeout) with an error naming the operator, its vertex and the
// vertex it sends to: the user learns which of their functions made the bad record.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { WeirError } from '../../messages/errors.ts';
import type { ErrorInfo } from '../../messages/job-status.ts';
import { within } from './process.ts';
import { startStandaloneCluster } from './standalone-cluster.ts';

const UNENCODABLE_JOB = fileURLToPath(new URL('./fixtures/unencodable-job.ts', import.meta.url));
/** Long, so that only the data connection can tell of the failure in time. */
const HEARTBEAT_TIMEOUT_MS = 30_000;

test('a record msgpack cannot encode fails the job with the name of the operator that emitted it', async (t) => {
  const { client, pids } = await startStandaloneCluster(t, { name: 'weir-encoding-failure', settings: [`heartbeat.timeout: ${HEARTBEAT_TIMEOUT_MS} ms`] });
  t.is(pids().length, 3, 'one JobManager and two TaskManagers');

  const submittedAt = Date.now();
  const handle = await client.submit(UNENCODABLE_JOB, { parallelism: 2 });
  const failure = await within(
    handle.result().then(
      (status) => new Error(`the job ended ${status.status}`),
      (error: unknown) => error,
    ),
    HEARTBEAT_TIMEOUT_MS,
    'the job to fail',
  );
  t.log(`the job failed ${Date.now() - submittedAt} ms after its submission: ${String((failure as Error).message)}`);
  t.true(failure instanceof WeirError, String(failure));
  const error = failure as WeirError;
  t.is(error.code, 'JOB_FAILED');
  t.regex(error.message, /^job "unencodable records" \(\S+\) failed: /);
  t.regex(error.message, /cannot encode a batch of \d+ records from operator "Tag" \(id "tag"\) of "[^"]*Tag" sending to "Count[^"]*": Unknown type: symbol$/);
  t.is((error.cause as ErrorInfo).code, 'RECORD_ENCODING_FAILED');

  const info = await client.info(handle.jobId);
  t.is(info.job.status, 'FAILED');
  t.true(
    info.vertices.every((vertex) => vertex.subtasks.every((state) => ['FAILED', 'CANCELED', 'FINISHED'].includes(state))),
    'no subtask is left running',
  );
});
