import test from 'ava';
import { type TraceRow, NO_FILTER, parseTraceItem, rowFilter, summaryFields, traceQuery } from '../../../../../../cluster/dispatcher/console/app/lib/trace-items.ts';

const JOB = '732570ce-c290-4bba-9e71-514f16bdcf22';

test('a trace event from GET /trace becomes a row; a dropped event a count', (t) => {
  const event = { at: 5, from: '/user/client', to: 'weir://jobmanager@127.0.0.1:6123/user/dispatcher', type: 'SubmitJob', bytes: 812, remote: true, direction: 'in', system: 'jobmanager', jobId: JOB, summary: { jobId: JOB } };
  t.deepEqual(parseTraceItem(JSON.stringify({ kind: 'event', event })), {
    kind: 'event',
    row: { at: 5, from: '/user/client', to: event.to, type: 'SubmitJob', bytes: 812, jobId: JOB, system: 'jobmanager', direction: 'in', summary: { jobId: JOB } },
  });
  t.deepEqual(parseTraceItem('{"kind":"dropped","system":"taskmanager-0","count":12}'), { kind: 'dropped', system: 'taskmanager-0', count: 12 });
});

test('what is not a trace item is skipped, not thrown', (t) => {
  for (const text of ['not json', 'null', '{"kind":"event","event":{"at":"x","to":"/a","type":"T"}}', '{"kind":"dropped"}', '{"kind":"other"}']) t.is(parseTraceItem(text), null, text);
  const local = parseTraceItem('{"kind":"event","event":{"at":1,"to":"/user/a","type":"Tick"}}');
  t.like(local, { kind: 'event', row: { from: null, bytes: null, jobId: null, system: '?', direction: 'local' } });
});

test('the filter goes to GET /trace as its query, only the filled inputs', (t) => {
  t.is(traceQuery(NO_FILTER), '');
  t.is(traceQuery({ job: ` ${JOB} `, actor: '', type: 'Submit*,Register*' }), `?job=${JOB}&type=Submit*%2CRegister*`);
});

function row(fields: Partial<TraceRow>): TraceRow {
  return { seq: 0, at: 0, from: null, to: '/user/a', type: 'T', bytes: null, jobId: null, system: 'jobmanager', direction: 'local', summary: undefined, ...fields };
}

test('rows already shown are narrowed by type glob with alternatives, as the traced side does', (t) => {
  const keep = rowFilter({ ...NO_FILTER, type: 'Submit*, RegisterTaskManager' });
  t.deepEqual(['SubmitJob', 'SubmitTask', 'RegisterTaskManager', 'RegisterTaskManagerAck', 'Heartbeat'].map((type) => keep(row({ type }))), [true, true, true, false, false]);
});

test('an actor glob matches the end of the sender\'s or the recipient\'s local path, * within a segment', (t) => {
  const keep = rowFilter({ ...NO_FILTER, actor: 'dispatcher' });
  t.true(keep(row({ to: 'weir://jobmanager@127.0.0.1:6123/user/dispatcher' })));
  t.true(keep(row({ from: '/user/dispatcher', to: '/user/resourcemanager' })));
  t.false(keep(row({ to: '/user/dispatcher/job-1' })));
  t.true(rowFilter({ ...NO_FILTER, actor: 'dispatcher/**' })(row({ to: '/user/dispatcher/job-1/task' })));
  t.false(rowFilter({ ...NO_FILTER, actor: '/user/*' })(row({ to: '/user/dispatcher/job-1' })));
  t.true(rowFilter({ ...NO_FILTER, actor: 'weir://taskmanager-?@*/**' })(row({ to: 'weir://taskmanager-1@127.0.0.1:6124/user/tm' })));
});

test('a job filter keeps the job\'s rows, by its whole id or a prefix', (t) => {
  t.true(rowFilter({ ...NO_FILTER, job: '732570ce' })(row({ jobId: JOB })));
  t.false(rowFilter({ ...NO_FILTER, job: JOB })(row({ jobId: null })));
  t.false(rowFilter({ ...NO_FILTER, job: 'ffff' })(row({ jobId: JOB })));
});

test('a summary lists its fields with dotted names, long values cut, and says how many more there are', (t) => {
  t.deepEqual(summaryFields({ jobId: 'j', slot: { index: 2, allocation: 'a' }, tasks: ['x', 'y'] }), {
    fields: [
      ['jobId', 'j'],
      ['slot.index', '2'],
      ['slot.allocation', 'a'],
      ['tasks', '["x","y"]'],
    ],
    more: 0,
  });
  t.deepEqual(summaryFields({ text: 'x'.repeat(300) }, 10).fields, [['text', `${'x'.repeat(9)}…`]]);
  const many = Object.fromEntries(Array.from({ length: 50 }, (_unused, index) => [`f${index}`, index]));
  const { fields, more } = summaryFields(many);
  t.is(fields.length, 40);
  t.is(more, 10);
  t.deepEqual(summaryFields(undefined), { fields: [], more: 0 });
  t.deepEqual(summaryFields('plain'), { fields: [['(value)', 'plain']], more: 0 });
});
