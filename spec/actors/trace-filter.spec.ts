// Trace filters: job id, actor path glob, message type glob, checked on the traced side.
import test from 'ava';
import { actorMatcher, compileTraceFilter, typeMatcher } from '../../actors/trace-filter.ts';
import type { TraceEvent } from '../../actors/trace.ts';
import { WeirError } from '../../messages/errors.ts';

const JM = 'weir://jobmanager@127.0.0.1:6123';
const event = (to: string, type: string, from?: string): TraceEvent => ({ at: 0, to, type, remote: false, direction: 'local', system: 's', ...(from ? { from } : {}) });

test('an actor glob: * stays within a segment, ** crosses segments', (t) => {
  const matches = (glob: string, path: string) => actorMatcher(glob)(path);
  t.true(matches('/user/*', `${JM}/user/dispatcher`));
  t.false(matches('/user/*', `${JM}/user/dispatcher/job-1`));
  t.true(matches('/user/**', `${JM}/user/dispatcher/job-1`));
  t.true(matches('/user/*/job-*', `${JM}/user/dispatcher/job-1`));
  t.false(matches('/user/*/job-*', `${JM}/user/dispatcher/job-1/child`));
  t.true(matches('/user/taskmanager-?', `${JM}/user/taskmanager-7`));
  t.false(matches('/user/taskmanager-?', `${JM}/user/taskmanager-17`));
});

test('an actor glob without a leading slash matches the end of the local path; one starting weir: the whole path', (t) => {
  t.true(actorMatcher('dispatcher')(`${JM}/user/dispatcher`));
  t.true(actorMatcher('task-*')(`weir://tm-1@127.0.0.1:6124/user/taskmanager/task-abc`));
  t.false(actorMatcher('task-*')(`weir://tm-1@127.0.0.1:6124/user/taskmanager/task-abc/x`));
  t.false(actorMatcher('patcher')(`${JM}/user/dispatcher`));
  t.true(actorMatcher('weir://jobmanager@*/user/**')(`${JM}/user/dispatcher/job-1`));
  t.false(actorMatcher('weir://taskmanager*/**')(`${JM}/user/dispatcher`));
});

test('a type glob: * matches anything, commas separate alternatives', (t) => {
  const types = ['SubmitJob', 'SubmitTask', 'JobSubmitted', 'RegisterTaskManager'];
  t.deepEqual(types.filter(typeMatcher('Submit*')), ['SubmitJob', 'SubmitTask']);
  t.deepEqual(types.filter(typeMatcher('*Job*')), ['SubmitJob', 'JobSubmitted']);
  t.deepEqual(types.filter(typeMatcher('SubmitJob, Register*')), ['SubmitJob', 'RegisterTaskManager']);
  t.deepEqual(types.filter(typeMatcher('Submit')), []);
});

test('a glob of many stars against a long path answers at once (no backtracking)', (t) => {
  const glob = `${'*a'.repeat(100)}b`;
  const path = `/${'a'.repeat(5000)}`;
  const started = performance.now();
  t.false(actorMatcher(`/${glob}`)(path));
  t.false(typeMatcher(glob)(path));
  t.true(performance.now() - started < 500);
});

test('a filter matches the sender or the recipient, and asks for the job only when it filters by job', (t) => {
  let asked = 0;
  const jobOf = (id: string) => () => {
    asked++;
    return id;
  };
  const byActor = compileTraceFilter({ actor: 'resourcemanager' });
  t.true(byActor(event(`${JM}/user/resourcemanager`, 'SlotReport'), jobOf('j')));
  t.true(byActor(event(`${JM}/temp/$1`, 'ClusterOverview', `${JM}/user/resourcemanager`), jobOf('j')));
  t.false(byActor(event(`${JM}/user/dispatcher`, 'ListJobs'), jobOf('j')));
  t.is(asked, 0);
  const byJob = compileTraceFilter({ job: 'j1', type: 'Submit*' });
  t.false(byJob(event(`${JM}/user/dispatcher`, 'ListJobs'), jobOf('j1')));
  t.is(asked, 0, 'the type ruled it out first');
  t.true(byJob(event(`${JM}/user/dispatcher`, 'SubmitJob'), jobOf('j1')));
  t.false(byJob(event(`${JM}/user/dispatcher`, 'SubmitJob'), jobOf('j2')));
  t.is(asked, 2);
});

test('a filter text over 256 characters is refused with INVALID_ARGUMENT naming the field', (t) => {
  const error = t.throws(() => compileTraceFilter({ actor: 'a'.repeat(257) }), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_ARGUMENT');
  t.is(error?.message, "the trace filter's actor has 257 characters, over 256");
});
