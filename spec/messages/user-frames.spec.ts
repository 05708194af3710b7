// The user's frames of a failure's stack: the job module's file:line, picked out of Weir's, Node's
// and packages' frames, from the innermost error of the cause chain that has any.
import test from 'ava';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MAX_USER_FRAMES, userFrames } from '../../messages/user-frames.ts';

const WEIR = fileURLToPath(new URL('../../', import.meta.url));

/** The stack of a record that failed in a user's map function on a TaskManager, as toErrorInfo writes it. */
const TASK_FAILURE = [
  'WeirError: operator "Refuse" (id "map-1") failed on a record: refusing 3',
  `    at userFunctionError (${WEIR}api/runtime/chain.ts:269:10)`,
  `    at Task.step (${WEIR}cluster/taskmanager/task.ts:282:50)`,
  `    at drain (${WEIR}actors/dispatcher.ts:71:26)`,
  'Caused by: Error: refusing 3',
  '    at parse (/home/me/jobs/src/parse.ts:9:11)',
  '    at Object.refuse (/home/me/jobs/src/job.ts:4:22)',
  `    at MapOperator.collect (${WEIR}api/operators/map.ts:32:29)`,
  '    at helper (/home/me/jobs/src/source-helper.ts:2:2)',
  `    at ChainSubtask.step (${WEIR}api/runtime/chain-subtask.ts:125:19)`,
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
].join('\n');

test('the user\'s frames are the first run outside Weir in the innermost error: where the user\'s code threw', (t) => {
  t.deepEqual(userFrames(TASK_FAILURE), ['at parse (/home/me/jobs/src/parse.ts:9:11)', 'at Object.refuse (/home/me/jobs/src/job.ts:4:22)']);
});

test('frames of Node, of packages and of Weir\'s own folders are not the user\'s; Weir\'s examples and fixtures are', (t) => {
  const stack = [
    'Error: no',
    '    at Object.<anonymous> (node:internal/modules/cjs/loader:1:1)',
    '    at lib (/home/me/jobs/node_modules/lib/index.js:3:3)',
    `    at WeirClient.submit (${WEIR}api/client/weir-client.ts:1:1)`,
    `    at Module.entry (${WEIR}index.ts:1:1)`,
    '    at new Promise (<anonymous>)',
    '    at async Promise.all (index 0)',
  ].join('\n');
  t.deepEqual(userFrames(stack), []);
  const example = `Error: no\n    at wordCount (${WEIR}examples/wordcount.ts:5:7)\n    at fixture (${WEIR}spec/e2e/fixtures/collect-job.ts:14:29)`;
  t.deepEqual(userFrames(example), [`at wordCount (${WEIR}examples/wordcount.ts:5:7)`, `at fixture (${WEIR}spec/e2e/fixtures/collect-job.ts:14:29)`]);
});

test('file: URLs are user frames too, and a bundle imported without its source map is not', (t) => {
  const url = pathToFileURL('/home/me/jobs/job.mjs').href;
  t.deepEqual(userFrames(`Error: no\n    at ${url}:1:2`), [`at ${url}:1:2`]);
  t.deepEqual(userFrames('Error: no\n    at f (/tmp/weir-jobs-123-abc/job-1-0f.mjs:10:3)\n    at g (/tmp/weir-client-x1/job.mjs:1:1)'), []);
});

test('without user frames in the innermost error, an outer error\'s are taken; none at all is an empty list', (t) => {
  const wrapped = 'Error: my job failed\n    at run (/home/me/jobs/job.ts:20:9)\nCaused by: Error: ENOENT\n    at open (node:fs:1:1)';
  t.deepEqual(userFrames(wrapped), ['at run (/home/me/jobs/job.ts:20:9)']);
  t.deepEqual(userFrames(undefined), []);
  t.deepEqual(userFrames('WeirError: lost the TaskManager'), []);
});

test(`a deep recursion in user code shows its first ${MAX_USER_FRAMES} frames`, (t) => {
  const deep = ['RangeError: too deep', ...Array.from({ length: 50 }, (_, depth) => `    at walk (/home/me/jobs/tree.ts:${depth + 1}:3)`)].join('\n');
  t.deepEqual(userFrames(deep), Array.from({ length: MAX_USER_FRAMES }, (_, depth) => `at walk (/home/me/jobs/tree.ts:${depth + 1}:3)`));
});
