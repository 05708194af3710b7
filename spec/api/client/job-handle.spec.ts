// A job handle follows the Dispatcher's JobStatusChanged events: status$ replays them and completes
// with the terminal one, result() resolves on FINISHED and rejects on FAILED or CANCELED, and a lost
// Dispatcher ends the stream with JOBMANAGER_UNREACHABLE instead of leaving it open.
import test from 'ava';
import { toArray, lastValueFrom } from 'rxjs';
import { type ActorRef, Behaviors } from '../../../actors/index.ts';
import { watchJobStatus } from '../../../api/client/job-handle.ts';
import type { DispatcherMsg } from '../../../messages/dispatcher.ts';
import { WeirError } from '../../../messages/errors.ts';
import { type JobId, newJobId } from '../../../messages/ids.ts';
import { type ErrorInfo, type JobStatus, jobStatusChanged } from '../../../messages/job-status.ts';
import { createTestSystem } from '../../testkit/index.ts';

interface Script {
  readonly statuses: readonly JobStatus[];
  /** The error of the last status. */
  readonly error?: ErrorInfo;
  /** Stop the Dispatcher once the statuses are sent (a JobManager that goes away). */
  readonly thenStop?: boolean;
}

/** A Dispatcher that answers SubscribeJobStatus with the scripted statuses. */
function scriptedDispatcher({ statuses, error, thenStop = false }: Script) {
  return Behaviors.receiveMessage<DispatcherMsg>((msg) => {
    if (msg.type !== 'SubscribeJobStatus') return Behaviors.same;
    statuses.forEach((status, index) => {
      const isLast = index === statuses.length - 1;
      msg.subscriber.tell(jobStatusChanged(msg.jobId, 'word count', status, isLast ? error : undefined));
    });
    return thenStop ? Behaviors.stopped : Behaviors.same;
  });
}

async function watch(t: Parameters<typeof createTestSystem>[0], script: Script) {
  const { system } = await createTestSystem(t, { logLevel: 'off' });
  const dispatcher: ActorRef<DispatcherMsg> = system.spawn(scriptedDispatcher(script), 'dispatcher');
  const jobId: JobId = newJobId();
  return { jobId, watch: watchJobStatus(system, dispatcher, jobId, '127.0.0.1:6123') };
}

test('status$ replays every change and completes with FINISHED; result() resolves with it', async (t) => {
  const { jobId, watch: handle } = await watch(t, { statuses: ['CREATED', 'RUNNING', 'FINISHED'] });
  const finished = await handle.result;
  t.is(finished.status, 'FINISHED');
  t.is(finished.jobId, jobId);
  const seen = await lastValueFrom(handle.status$.pipe(toArray()));
  t.deepEqual(
    seen.map((change) => change.status),
    ['CREATED', 'RUNNING', 'FINISHED'],
  );
});

test('a FAILED job rejects result() with JOB_FAILED carrying the job error as cause', async (t) => {
  const cause: ErrorInfo = { name: 'TypeError', message: 'boom in map', code: 'USER_FUNCTION_FAILED' };
  const { jobId, watch: handle } = await watch(t, { statuses: ['RUNNING', 'FAILING', 'FAILED'], error: cause });
  const error = await t.throwsAsync(handle.result, { instanceOf: WeirError });
  t.is(error?.code, 'JOB_FAILED');
  t.is(error?.message, `job "word count" (${jobId}) failed: boom in map`);
  t.deepEqual(error?.cause, cause);
});

test('a CANCELED job rejects result() with JOB_CANCELED', async (t) => {
  const { watch: handle } = await watch(t, { statuses: ['RUNNING', 'CANCELLING', 'CANCELED'] });
  const error = await t.throwsAsync(handle.result, { instanceOf: WeirError });
  t.is(error?.code, 'JOB_CANCELED');
});

test('a lost Dispatcher ends a running job\'s stream with JOBMANAGER_UNREACHABLE naming the address', async (t) => {
  const { watch: handle } = await watch(t, { statuses: ['RUNNING'], thenStop: true });
  const error = await t.throwsAsync(handle.result, { instanceOf: WeirError });
  t.is(error?.code, 'JOBMANAGER_UNREACHABLE');
  t.true(error?.message.includes('127.0.0.1:6123'), error?.message);
});

test('stop(reason) ends the stream with that reason', async (t) => {
  const { watch: handle } = await watch(t, { statuses: ['CREATED'] });
  handle.stop(new WeirError('JOB_REJECTED', 'no slots'));
  const error = await t.throwsAsync(handle.result, { instanceOf: WeirError });
  t.is(error?.code, 'JOB_REJECTED');
});
