// weir info <checkpoint path>: a checkpoint's `_metadata` read where the CLI runs, for a person:
// what it is, when, its size, whether it was taken unaligned and the in-flight bytes it persisted,
// each subtask's part; metadata from before Weir recorded the alignment says so.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { checkpointInfoCommand } from '../../../bin/cli/checkpoint-info.ts';
import { CommandError } from '../../../bin/cli/errors.ts';
import { type CheckpointMetadata, writeMetadata } from '../../../cluster/checkpoint/storage.ts';

async function tempDirectory(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'weir-checkpoint-info-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  return root;
}

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);

const metadata = (extra: Partial<CheckpointMetadata>): CheckpointMetadata => ({
  version: 1,
  jobId: 'job-1',
  checkpointId: 5,
  timestamp: T0,
  completedAt: T0 + 140,
  mode: 'EXACTLY_ONCE',
  savepoint: false,
  parallelism: { source: 1, map: 2 },
  subtasks: [
    { vertexId: 'source', subtaskIndex: 0, handle: { path: '/x/source-0-0.state', bytes: 120 }, splitsReceived: 1 },
    { vertexId: 'map', subtaskIndex: 1, handle: null, splitsReceived: null, finished: true },
    { vertexId: 'map', subtaskIndex: 0, handle: { path: '/x/map-0-0.state', bytes: 900 }, splitsReceived: null, inFlightBytes: 640 },
  ],
  ...extra,
});

async function info(path: string): Promise<string[]> {
  const lines: string[] = [];
  await checkpointInfoCommand(path, (line) => void lines.push(line));
  return lines;
}

test('an unaligned checkpoint shows that it was unaligned, the in-flight bytes it persisted, and each subtask`s part', async (t) => {
  const directory = join(await tempDirectory(t), 'chk-5');
  await writeMetadata(directory, metadata({ unaligned: true, inFlightBytes: 640 }), directory);
  t.deepEqual(await info(join(directory, '_metadata')), [
    `Checkpoint 5 of job job-1 (${directory})`,
    '  mode:        EXACTLY_ONCE, unaligned, 640 bytes in flight persisted',
    '  triggered:   2026-12-03T12:00:00.000Z',
    '  completed:   2026-12-03T12:00:00.140Z (140 ms)',
    '  state:       1020 bytes in 2 files',
    '  subtasks:',
    '    map 0: 900 bytes, unaligned (640 bytes in flight)',
    '    map 1: finished (no state)',
    '    source 0: 120 bytes',
  ]);
});

test('an aligned savepoint says aligned; metadata from before Weir recorded the alignment says so', async (t) => {
  const root = await tempDirectory(t);
  const savepoint = join(root, 'savepoint-1');
  const { subtasks } = metadata({});
  await writeMetadata(savepoint, metadata({ savepoint: true, unaligned: false, inFlightBytes: 0, subtasks: subtasks.slice(0, 1) }), savepoint);
  t.deepEqual((await info(savepoint)).slice(0, 2), [`Savepoint 5 of job job-1 (${savepoint})`, '  mode:        EXACTLY_ONCE, aligned']);
  const old = join(root, 'chk-2');
  await writeMetadata(old, metadata({ checkpointId: 2 }), old);
  t.is((await info(old))[1], '  mode:        EXACTLY_ONCE, alignment not recorded (metadata from before Weir recorded it)');
});

test('a directory that is no checkpoint fails naming it and why', async (t) => {
  const root = await tempDirectory(t);
  const error = await t.throwsAsync(info(root), { instanceOf: CommandError });
  t.is(error?.code, 'STATE_RESTORE_FAILED');
  t.is(error?.message, `weir info: cannot restore from ${root}: it has no _metadata file (not a completed checkpoint or savepoint)`);
});
