// weir info <jobId>'s checkpoint lines: the counts, then the latest checkpoint with its size, time,
// its directory, and when it was taken unaligned the in-flight bytes it persisted.
import test from 'ava';
import { describeCheckpoints } from '../../../bin/cli/jobs.ts';
import type { LatestCheckpoint } from '../../../messages/dispatcher.ts';

const LATEST: LatestCheckpoint = { checkpointId: 7, path: '/ckpt/job-1/chk-7', completedAt: Date.UTC(2026, 11, 3, 12), durationMs: 140, bytes: 4_096, savepoint: false };
const latestLine = (latest: LatestCheckpoint): string | undefined => describeCheckpoints({ completed: 7, failed: 1, restarts: 2, latest })[1];

test('the latest checkpoint says when it was unaligned and how many in-flight bytes it persisted', (t) => {
  t.deepEqual(describeCheckpoints({ completed: 7, failed: 1, restarts: 1, latest: { ...LATEST, unaligned: true, inFlightBytes: 640 } }), [
    '  checkpoints: 7 completed, 1 failed, 1 restart',
    '  latest:      checkpoint 7 at 2026-12-03T12:00:00.000Z (4096 bytes in 140 ms, unaligned: 640 bytes in flight) /ckpt/job-1/chk-7',
  ]);
  const plain = '  latest:      checkpoint 7 at 2026-12-03T12:00:00.000Z (4096 bytes in 140 ms) /ckpt/job-1/chk-7';
  t.is(latestLine({ ...LATEST, unaligned: false, inFlightBytes: 0 }), plain, 'aligned: as ever');
  t.is(latestLine(LATEST), plain, 'not recorded: nothing said');
});
