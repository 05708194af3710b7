// Structure-aware fuzzing over the wire, bounded and seeded: every mutation of a valid example of
// every registered message type (each field removed, given another type, each id made invalid, each
// number made negative), and every request sent to the core actors of the other protocols, crafted
// by a raw peer and sent to the real Dispatcher, ResourceManager, a JobManager and a TaskManager.
// Afterwards each refused message is a counted invalid-message dead letter, each message an actor
// does not handle a counted unhandled one, and every core actor still answers: a job still runs.
import test from 'ava';
import { interval } from 'rxjs';
import type { ActorSystem } from '../../actors/index.ts';
import type { JobModule } from '../../api/index.ts';
import { type Core, craftedMessages, handles } from '../messages/crafted.ts';
import { validExamples } from '../messages/examples.ts';
import { eventually } from './helpers.ts';
import { runBoundedJob, startWireCluster } from './wire-cluster.ts';

const SEED = 20261202;
/** Envelopes per crafted frame. */
const FRAME_ENVELOPES = 100;

test('seeded mutations of every message type leave every core actor answering and a job still runs', async (t) => {
  const cluster = await startWireCluster(t);
  const { jm, tm } = cluster;
  const ticking: JobModule = (env) => {
    env.fromObservable(() => interval(5)).sinkTo(() => {});
  };
  const running = await cluster.submit(ticking);
  await eventually(async () => (await cluster.listJobs()).some((job) => job.jobId === running.jobId && job.status === 'RUNNING'), 'the job running');
  const paths: Record<Core, string> = {
    dispatcher: '/user/dispatcher',
    resourcemanager: '/user/resourcemanager',
    jobmanager: `/user/dispatcher/job-${running.jobId}`,
    taskmanager: '/user/taskmanager',
  };
  const systemOf = (target: Core): ActorSystem => (target === 'taskmanager' ? tm.system : jm.system);

  const sent = craftedMessages(validExamples(cluster.sink), SEED);
  const attackers = new Map([
    [jm.system, await cluster.attacker(jm.system)],
    [tm.system, await cluster.attacker(tm.system)],
  ]);
  for (const system of [jm.system, tm.system]) {
    const envelopes = sent.filter((item) => systemOf(item.target) === system).map((item) => [paths[item.target], item.message] as const);
    for (let from = 0; from < envelopes.length; from += FRAME_ENVELOPES) attackers.get(system)?.send(envelopes.slice(from, from + FRAME_ENVELOPES));
  }

  const expected = (system: ActorSystem, invalid: boolean) => sent.filter((item) => systemOf(item.target) === system && item.invalid === invalid).length;
  const unhandledAt = (system: ActorSystem) =>
    sent.filter((item) => systemOf(item.target) === system && !item.invalid && !handles((item.message as { type: string }).type, item.target)).length;
  const counts = () => [jm, tm].map(({ system }) => [system.deadLetterCounts['invalid-message'], system.deadLetterCounts.unhandled]);
  const wanted = [jm, tm].map(({ system }) => [expected(system, true), unhandledAt(system)]);
  // A bounded wait; the assertion after it shows what was counted when the wait ran out.
  await eventually(() => JSON.stringify(counts()) === JSON.stringify(wanted), 'the dead letters counted', 10_000).catch(() => undefined);
  t.deepEqual(counts(), wanted);
  // Fixed by the seed and the examples: [invalid-message, unhandled] at the JobManager's and the TaskManager's system.
  t.is(sent.length, 1484);
  t.deepEqual(wanted, [
    [858, 140],
    [330, 39],
  ]);

  // Every core actor still answers.
  t.like(await cluster.overview(), { taskManagers: 1, slotsTotal: 2 });
  t.true((await cluster.listJobs()).some((job) => job.jobId === running.jobId && job.status === 'RUNNING'));
  t.deepEqual(await runBoundedJob(cluster), { status: 'FINISHED', out: [2, 4, 6, 8, 10] });
  cluster.dispatcher.tell({ type: 'CancelJob', jobId: running.jobId, replyTo: cluster.sink as never });
  await t.throwsAsync(running.result, { message: /was canceled/ });
});
