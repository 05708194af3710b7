// What a traced message says: its job id and a bounded summary of its payload.
import test from 'ava';
import { SUMMARY_MAX_FIELDS, SUMMARY_MAX_ITEMS, jobIdOf, summarizePayload } from '../../actors/trace-payload.ts';

test('a summary keeps small messages as they are', (t) => {
  const msg = { type: 'CancelJob', jobId: 'j1', n: 3, ok: true, nothing: null };
  t.deepEqual(summarizePayload(msg), msg);
});

test('a 10 MB payload gives a small summary: long strings and arrays are cut with their size, binary shown as its size', (t) => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  let read = 0;
  // Counts the items the summary reads: it costs what the shown part costs, not the payload's size.
  const records = new Proxy(
    Array.from({ length: 100_000 }, (_, n) => n),
    { get: (target, key, receiver) => (typeof key === 'string' && /^\d+$/.test(key) && read++, Reflect.get(target, key, receiver)) },
  );
  const msg = { type: 'SubmitJob', bundle: big, records, bytes: new Uint8Array(10 * 1024 * 1024) };
  const summary = summarizePayload(msg);
  t.is(read, SUMMARY_MAX_ITEMS);
  t.deepEqual(summary, {
    type: 'SubmitJob',
    bundle: `${'x'.repeat(96)}… (10485760 chars)`,
    records: [0, 1, 2, 3, 4, 5, 6, 7, `… ${100_000 - SUMMARY_MAX_ITEMS} more`],
    bytes: '<10485760 bytes>',
  });
  t.true(JSON.stringify(summary).length < 400);
});

test('nesting past three levels, and fields past twelve, are elided', (t) => {
  const deep = { type: 'Deep', a: { b: { c: { d: { e: 1 } }, list: [[1, 2]] }, items: [[1, 2], 3] } };
  t.deepEqual(summarizePayload(deep), { type: 'Deep', a: { b: { c: '{…}', list: '<1 item>' }, items: ['<2 items>', 3] } });
  const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, n) => [`f${n}`, n]));
  const summary = summarizePayload(wide) as Record<string, unknown>;
  t.is(Object.keys(summary).length, SUMMARY_MAX_FIELDS + 1);
  t.is(summary['…'], 'more fields');
});

test('a whole job graph summarises to a few kilobytes at most', (t) => {
  const vertex = (n: number) => ({ id: `v${n}`, name: `Vertex ${n} ${'long name '.repeat(30)}`, parallelism: 4, operators: Array.from({ length: 20 }, (_, o) => ({ id: `op${o}`, config: { key: 'x'.repeat(500) } })) });
  const msg = { type: 'SubmitJob', jobId: 'j', jobGraph: { name: 'big', vertices: Array.from({ length: 500 }, (_, n) => vertex(n)) }, bundle: 'y'.repeat(5_000_000), args: [] };
  t.true(JSON.stringify(summarizePayload(msg)).length < 4_000);
});

test('the job id comes from the message, a field one level down, or the actor the message goes to', (t) => {
  const none = new Map<string, string>();
  t.is(jobIdOf({ type: 'CancelJob', jobId: 'j1' }, '/user/dispatcher', undefined, none), 'j1');
  t.is(jobIdOf({ type: 'SubmitTask', descriptor: { jobId: 'j2' } }, '/user/taskmanager', undefined, none), 'j2');
  t.is(jobIdOf({ type: 'Step' }, 'weir://tm/user/taskmanager/task-a', undefined, new Map([['weir://tm/user/taskmanager/task-a', 'j3']])), 'j3');
  t.is(jobIdOf({ type: 'RequestSlots' }, 'weir://jm/user/resourcemanager', 'weir://jm/user/dispatcher/job-j4', none), 'j4');
  t.is(jobIdOf({ type: 'ListJobs' }, 'weir://jm/user/dispatcher', undefined, none), undefined);
});
