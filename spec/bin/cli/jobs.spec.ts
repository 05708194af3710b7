// weir info <jobId>'s checkpoint lines: the counts, then the latest checkpoint with its size, time,
// whether it was taken unaligned (and the in-flight bytes it persisted), and its directory.
import test from 'ava';
import { describeCheckpoints } from '../../../bin/cli/jobs.ts';
import type { LatestCheckpoint } from '../../../messages/dispatcher.ts';

const LATEST: LatestCheckpoint = { checkpointId: 7, path: '/ckpt/job-1/chk-7', completedAt: Date.UTC(2026, 11, 3, 12), durationMs: 140, bytes: 4_096, savepoint: false };
const latestLine = (latest: LatestCheckpoint): string | undefined => describeCheckpoints({ completed: 7, failed: 1, restarts: 2, latest })[1];

test('the latest checkpoint says whether it was unaligned and how many in-flight bytes it persisted', (t) => {
  t.deepEqual(describeCheckpoints({ completed: 7, failed: 1, restarts: 1, latest: { ...LATEST, unaligned: true, inFlightBytes: 640 } }), [
    '  checkpoints: 7 completed, 1 failed, 1 restart',
    '  latest:      checkpoint 7 at 2026-12-03T12:00:00.000Z (4096 bytes in 140 ms, unaligned: 640 bytes in flight) /ckpt/job-1/chk-7',
  ]);
  t.is(latestLine({ ...LATEST, unaligned: false, inFlightBytes: 0 }), '  latest:      checkpoint 7 at 2026-12-03T12:00:00.000Z (4096 bytes in 140 ms, aligned) /ckpt/job-1/chk-7');
  t.is(latestLine(LATEST), '  latest:      checkpoint 7 at 2026-12-03T12:00:00.000Z (4096 bytes in 140 ms) /ckpt/job-1/chk-7', 'not recorded: nothing said');
});
