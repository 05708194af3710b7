// A job handle follows the Dispatcher's JobStatusChanged events: status$ replays them and completes
// with the terminal one, result() resolves on FINISHED and rejects on FAILED or CANCELED, and a lost
// Dispatcher ends the stream with JOBMANAGER_UNREACHABLE instead of leaving it open.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { toArray, lastValueFrom } from 'rxjs';
import { type ActorRef, Behaviors } from '../../../actors/index.ts';
import { watchJobStatus } from '../../../api/client/job-handle.ts';
import type { DispatcherMsg } from '../../../messages/dispatcher.ts';
import { WeirError } from '../../../messages/errors.ts';
import { type JobId, newJobId } from '../../../messages/ids.ts';
import { type ErrorInfo, type JobStatus, jobStatusChanged } from '../../../messages/job-status.ts';
import { createTestSystem } from '../../testkit/index.ts';

const WEIR = fileURLToPath(new URL('../../../', import.meta.url));

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

test('a FAILED job\'s rejection has the user\'s frames of the failure as its stack; its cause keeps the whole stack, unlisted', async (t) => {
  const stack = [
    'WeirError: operator "Parse" (id "map-1") failed on a record: bad line',
    `    at userFunctionError (${WEIR}api/runtime/chain.ts:269:10)`,
    'Caused by: SyntaxError: bad line',
    '    at Object.parse (/home/me/jobs/job.ts:4:22)',
    `    at MapOperator.collect (${WEIR}api/operators/map.ts:32:29)`,
  ].join('\n');
  const cause: ErrorInfo = { name: 'WeirError', message: 'Parse (1/2): bad line', code: 'USER_FUNCTION_FAILED', stack };
  const { jobId, watch: handle } = await watch(t, { statuses: ['RUNNING', 'FAILED'], error: cause });
  const error = await t.throwsAsync(handle.result, { instanceOf: WeirError });
  t.is(error?.stack, `WeirError: job "word count" (${jobId}) failed: Parse (1/2): bad line\n    at Object.parse (/home/me/jobs/job.ts:4:22)`);
  t.is((error?.cause as ErrorInfo).stack, stack);
  // Node prints an uncaught error's cause with its enumerable fields: the frames are printed once, above.
  t.deepEqual(Object.keys(error?.cause as object), ['name', 'message', 'code']);
});

test('without user frames the rejection\'s stack is the failure\'s own, causes included', async (t) => {
  const stack = `WeirError: lost TaskManager tm-1\n    at fail (${WEIR}cluster/jobmanager/job-manager.ts:1:1)\nCaused by: Error: gone\n    at close (node:net:1:1)`;
  const { jobId, watch: handle } = await watch(t, { statuses: ['RUNNING', 'FAILED'], error: { name: 'WeirError', message: 'lost TaskManager tm-1', stack } });
  const error = await t.throwsAsync(handle.result, { instanceOf: WeirError });
  t.is(
    error?.stack,
    `WeirError: job "word count" (${jobId}) failed: lost TaskManager tm-1\n    at fail (${WEIR}cluster/jobmanager/job-manager.ts:1:1)\nCaused by: Error: gone\n    at close (node:net:1:1)`,
  );
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
