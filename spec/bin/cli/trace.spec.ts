// weir trace's lines: one per message, for a person to read.
import test from 'ava';
import { shortPath, traceLine } from '../../../bin/cli/trace.ts';

const at = Date.UTC(2026, 0, 2, 13, 4, 5, 67);

test('a line has the time, the observing system, sender -> recipient, type, size, job and direction', (t) => {
  const line = traceLine({
    at,
    from: 'weir://client-1a2b@127.0.0.1:40000',
    to: 'weir://jobmanager@127.0.0.1:6123/user/dispatcher',
    type: 'SubmitJob',
    bytes: 20_480,
    remote: true,
    direction: 'in',
    system: 'jobmanager',
    jobId: 'j-1',
  });
  t.is(line, '13:04:05.067  jobmanager  client-1a2b -> jobmanager/user/dispatcher  SubmitJob  20.0 kB  job j-1  [in]');
});

test("a task's steps read as a count and a time; a local message without a sender shows -", (t) => {
  const task = 'weir://taskmanager-1@127.0.0.1:6124/user/taskmanager/task-9';
  t.is(
    traceLine({ at, from: task, to: task, type: 'Step', remote: false, direction: 'local', system: 'taskmanager-1', jobId: 'j', aggregate: { count: 1234, totalMs: 87.25, periodMs: 1000 } }),
    '13:04:05.067  taskmanager-1  taskmanager-1/user/taskmanager/task-9 -> taskmanager-1/user/taskmanager/task-9  Step x1234 in 87.3 ms  job j',
  );
  t.is(traceLine({ at, to: 'weir://minicluster/user/x', type: 'Tick', bytes: 12, remote: false, direction: 'local', system: 'minicluster' }), '13:04:05.067  minicluster  - -> minicluster/user/x  Tick  12 B');
});

test('a path is shortened to its system and local path', (t) => {
  t.is(shortPath('weir://jobmanager@[::1]:6123/user/dispatcher/job-1'), 'jobmanager/user/dispatcher/job-1');
  t.is(shortPath('weir://client-9@127.0.0.1:1'), 'client-9');
  t.is(shortPath('not a path'), 'not a path');
});
