// Checkpoint storage on real files: subtask snapshots round-trip with their values' types, metadata
// makes a checkpoint exist, and a directory without it is no checkpoint.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { SubtaskSnapshot } from '../../../api/runtime/checkpointing/snapshot.ts';
import {
  type CheckpointMetadata,
  checkpointDirectory,
  discardCheckpoint,
  inFlightSummary,
  latestCheckpoint,
  readMetadata,
  readSubtaskState,
  writeMetadata,
  writeSubtaskState,
} from '../../../cluster/checkpoint/storage.ts';
import { WeirError } from '../../../messages/errors.ts';

async function jobDirectory(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'weir-storage-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  return join(root, 'job-1');
}

const metadata = (checkpointId: number): CheckpointMetadata => ({
  version: 1,
  jobId: 'job-1',
  checkpointId,
  timestamp: 1,
  completedAt: 2,
  mode: 'EXACTLY_ONCE',
  savepoint: false,
  parallelism: { source: 1 },
  subtasks: [{ vertexId: 'source', subtaskIndex: 0, handle: null, splitsReceived: 2 }],
});

test('a subtask snapshot is written under chk-<id> and reads back with Maps, Sets, Dates, undefined and infinities intact', async (t) => {
  const directory = await jobDirectory(t);
  const snapshot: SubtaskSnapshot = {
    checkpointId: 7,
    operators: {
      'window-1': {
        watermark: Number.NEGATIVE_INFINITY,
        keyGroups: [{ keyGroup: 3, state: { keyGroup: 3, states: { sums: [['k', 12, { at: new Date(5), seen: new Set([1]), missing: undefined }]] }, meta: { sums: { kind: 'value', ttl: false } } }, timers: null }],
        extra: new Map([['a', 1]]),
      },
    },
    source: { splitsReceived: 2, splits: [{ split: 1, payload: { from: 1, to: 10 }, offset: 4 }] },
  };
  const handle = await writeSubtaskState(directory, 'vertex/with spaces', 1, 2, snapshot);
  t.is(handle.path, join(checkpointDirectory(directory, 7), 'vertex%2Fwith%20spaces-1-2.state'));
  t.true(handle.bytes > 0);
  t.deepEqual(await readSubtaskState(handle.path), snapshot);
  t.deepEqual(await readdir(checkpointDirectory(directory, 7)), ['vertex%2Fwith%20spaces-1-2.state'], 'no temporary file stays');
});

test('a file that is not a snapshot fails naming it', async (t) => {
  const directory = await jobDirectory(t);
  await mkdir(directory, { recursive: true });
  const bogus = join(directory, 'bogus.state');
  await writeFile(bogus, 'hello');
  const error = await t.throwsAsync(readSubtaskState(bogus), { instanceOf: WeirError });
  t.is(error?.code, 'STATE_CORRUPT');
  t.true(error?.message.startsWith(`${bogus} is not a Weir snapshot`));
  const missing = await t.throwsAsync(readSubtaskState(join(directory, 'gone.state')), { instanceOf: WeirError });
  t.is(missing?.code, 'STATE_RESTORE_FAILED');
});

test('_metadata makes a checkpoint: the latest is the highest complete one, directories without it are skipped', async (t) => {
  const directory = await jobDirectory(t);
  t.is(await latestCheckpoint(directory), null, 'no job directory yet');
  await writeMetadata(directory, metadata(1));
  await writeMetadata(directory, metadata(2));
  await mkdir(checkpointDirectory(directory, 3), { recursive: true }); // aborted: no _metadata
  const latest = await latestCheckpoint(directory);
  t.is(latest?.metadata.checkpointId, 2);
  t.is(latest?.directory, checkpointDirectory(directory, 2));
  t.deepEqual((await readMetadata(join(checkpointDirectory(directory, 1), '_metadata'))).metadata, metadata(1), 'the _metadata file itself names the checkpoint too');
  const error = await t.throwsAsync(readMetadata(checkpointDirectory(directory, 3)), { instanceOf: WeirError });
  t.is(error?.message, `cannot restore from ${checkpointDirectory(directory, 3)}: it has no _metadata file (not a completed checkpoint or savepoint)`);
  await discardCheckpoint(directory, 2);
  await discardCheckpoint(directory, 99);
  t.is((await latestCheckpoint(directory))?.metadata.checkpointId, 1);
});

test('_metadata without what a restore reads is refused naming the file and the missing part', async (t) => {
  const directory = await jobDirectory(t);
  const checkpoint = checkpointDirectory(directory, 4);
  await mkdir(checkpoint, { recursive: true });
  const { parallelism: _, ...withoutParallelism } = metadata(4);
  await writeFile(join(checkpoint, '_metadata'), JSON.stringify(withoutParallelism));
  const error = await t.throwsAsync(readMetadata(checkpoint), { instanceOf: WeirError });
  t.is(error?.code, 'STATE_CORRUPT');
  t.is(error?.message, `${join(checkpoint, '_metadata')} is not a Weir checkpoint's metadata: no parallelism per vertex`);
  await writeFile(join(checkpoint, '_metadata'), JSON.stringify({ ...metadata(4), subtasks: [{ vertexId: 'source', subtaskIndex: 0, handle: { bytes: 3 } }] }));
  const noPath = await t.throwsAsync(readMetadata(checkpoint), { instanceOf: WeirError });
  t.is(noPath?.message, `${join(checkpoint, '_metadata')} is not a Weir checkpoint's metadata: subtask 0 of "source" has no file path`);
});

test('an unaligned checkpoint`s metadata records it per subtask and in all; metadata written before that reads as not recorded', async (t) => {
  const directory = await jobDirectory(t);
  const subtasks = [
    { vertexId: 'map', subtaskIndex: 0, handle: { path: '/chk-5/map-0-0.state', bytes: 700 }, splitsReceived: null, inFlightBytes: 300 },
    { vertexId: 'map', subtaskIndex: 1, handle: null, splitsReceived: null, inFlightBytes: 0 },
    { vertexId: 'source', subtaskIndex: 0, handle: null, splitsReceived: 2 },
  ];
  t.deepEqual(inFlightSummary(subtasks), { unaligned: true, inFlightBytes: 300 }, 'a subtask with nothing in flight took it unaligned all the same');
  t.deepEqual(inFlightSummary(subtasks.slice(2)), { unaligned: false, inFlightBytes: 0 });
  const unaligned: CheckpointMetadata = { ...metadata(5), ...inFlightSummary(subtasks), subtasks };
  await writeMetadata(directory, unaligned);
  t.deepEqual((await readMetadata(checkpointDirectory(directory, 5))).metadata, unaligned);
  // Written by an older Weir: no alignment fields at all; it still reads (and restores) as before.
  await writeMetadata(directory, metadata(6));
  const old = (await readMetadata(checkpointDirectory(directory, 6))).metadata;
  t.is(old.unaligned, undefined);
  t.is(old.inFlightBytes, undefined);
});

test('_metadata whose alignment fields are not what Weir writes is refused naming the field', async (t) => {
  const directory = await jobDirectory(t);
  const checkpoint = checkpointDirectory(directory, 7);
  await mkdir(checkpoint, { recursive: true });
  const refused = async (content: unknown): Promise<string | undefined> => {
    await writeFile(join(checkpoint, '_metadata'), JSON.stringify(content));
    const error = await t.throwsAsync(readMetadata(checkpoint), { instanceOf: WeirError });
    t.is(error?.code, 'STATE_CORRUPT');
    return error?.message.replace(`${join(checkpoint, '_metadata')} is not a Weir checkpoint's metadata: `, '');
  };
  t.is(await refused({ ...metadata(7), unaligned: 'yes' }), 'unaligned is "yes", not true or false');
  t.is(await refused({ ...metadata(7), unaligned: true, inFlightBytes: -3 }), 'inFlightBytes is -3, not a number of bytes');
  t.is(await refused({ ...metadata(7), subtasks: [{ vertexId: 'map', subtaskIndex: 1, handle: null, inFlightBytes: 1.5 }] }), 'subtask 1 of "map" has inFlightBytes 1.5, not a number of bytes');
});
