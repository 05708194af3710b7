// The exactly-once file sink: part files stay hidden until the checkpoint that pre-committed them
// completes; a restore commits the snapshot's pending part files and discards what was written after
// it. The operator is driven by hand, as a Task would through checkpoints; the last specs run jobs.
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import test from 'ava';
import { DefaultRollingPolicy, FileSink, OnCheckpointRollingPolicy, StreamExecutionEnvironment } from '../../../index.ts';
import { WeirError } from '../../../messages/errors.ts';
import { checkpoint, hiddenFiles, openSinkOperator, roundTrip, temporaryDirectory, visibleFiles } from './transactional-sink-fixtures.ts';

const lines = (directory: string) => FileSink.forRowFormat<string>(directory, (line) => line);

test('records stay in a hidden in-progress part file until their checkpoint completes, then appear as part-<subtask>-<counter>', async (t) => {
  const directory = await temporaryDirectory(t);
  const sink = await openSinkOperator(lines(directory).build(), { subtaskIndex: 2 });
  sink.collect('a', undefined);
  sink.collect('b', undefined);
  t.deepEqual(await visibleFiles(directory), {});
  const [inProgress] = await hiddenFiles(directory);
  t.regex(inProgress, /^\.part-2-0\.inprogress\.[0-9a-f-]{36}$/);

  sink.snapshotState(checkpoint(1));
  sink.collect('c', undefined);
  t.deepEqual(await visibleFiles(directory), {}, 'pre-committed is not committed');
  t.is(sink.notifyCheckpointComplete(1), null, 'file commits are synchronous');
  t.deepEqual(await visibleFiles(directory), { 'part-2-0': 'a\nb\n' });

  sink.snapshotState(checkpoint(2));
  sink.notifyCheckpointComplete(2);
  t.deepEqual(await visibleFiles(directory), { 'part-2-0': 'a\nb\n', 'part-2-1': 'c\n' });
  t.deepEqual(await hiddenFiles(directory), []);
  await sink.close();
});

test('a checkpoint without records since the last one commits no empty part file', async (t) => {
  const directory = await temporaryDirectory(t);
  const sink = await openSinkOperator(lines(directory).build());
  sink.collect('a', undefined);
  sink.snapshotState(checkpoint(1));
  sink.snapshotState(checkpoint(2));
  sink.notifyCheckpointComplete(2);
  t.deepEqual(await visibleFiles(directory), { 'part-0-0': 'a\n' });
  t.deepEqual(await hiddenFiles(directory), []);
  await sink.close();
});

test('an aborted checkpoint keeps its part files pending, and the next completed checkpoint commits them with its own', async (t) => {
  const directory = await temporaryDirectory(t);
  const sink = await openSinkOperator(lines(directory).build());
  sink.collect('a', undefined);
  sink.snapshotState(checkpoint(1));
  sink.notifyCheckpointAborted(1);
  sink.collect('b', undefined);
  sink.snapshotState(checkpoint(2));
  t.deepEqual(await visibleFiles(directory), {});
  sink.notifyCheckpointComplete(2);
  t.deepEqual(await visibleFiles(directory), { 'part-0-0': 'a\n', 'part-0-1': 'b\n' });
  await sink.close();
});

test('a late notification commits the checkpoints up to it and leaves later ones pending', async (t) => {
  const directory = await temporaryDirectory(t);
  const sink = await openSinkOperator(lines(directory).build());
  sink.collect('a', undefined);
  sink.snapshotState(checkpoint(1));
  sink.collect('b', undefined);
  sink.snapshotState(checkpoint(2));
  sink.notifyCheckpointComplete(1);
  t.deepEqual(await visibleFiles(directory), { 'part-0-0': 'a\n' });
  sink.notifyCheckpointComplete(2);
  t.deepEqual(await visibleFiles(directory), { 'part-0-0': 'a\n', 'part-0-1': 'b\n' });
  await sink.close();
});

test('a restore commits the pending part files of the snapshot and deletes what was written after it; a second restore from it changes nothing', async (t) => {
  const directory = await temporaryDirectory(t);
  const failed = await openSinkOperator(lines(directory).build());
  failed.collect('a', undefined);
  failed.collect('b', undefined);
  const snapshot = roundTrip(failed.snapshotState(checkpoint(1)));
  failed.collect('after the checkpoint', undefined);
  t.is((await hiddenFiles(directory)).length, 2, 'the pending part file and the next in-progress one');
  // The subtask dies here: checkpoint 1 completed, but the notification never reached it.

  const restored = await openSinkOperator(lines(directory).build(), { snapshot });
  t.deepEqual(await visibleFiles(directory), { 'part-0-0': 'a\nb\n' });
  t.deepEqual(await hiddenFiles(directory), []);
  restored.collect('replayed', undefined);
  restored.snapshotState(checkpoint(2));
  restored.notifyCheckpointComplete(2);
  await restored.close();
  const expected = { 'part-0-0': 'a\nb\n', 'part-0-2': 'replayed\n' };
  t.deepEqual(await visibleFiles(directory), expected, 'the counter goes past every part file the directory held');

  const again = await openSinkOperator(lines(directory).build(), { snapshot });
  await again.close();
  t.deepEqual(await visibleFiles(directory), expected);
  t.deepEqual(await hiddenFiles(directory), []);
});

test('the snapshot holds the pending part files and the open transaction as plain data', async (t) => {
  const directory = await temporaryDirectory(t);
  const sink = await openSinkOperator(lines(directory).build());
  sink.collect('a', undefined);
  const snapshot = roundTrip(sink.snapshotState(checkpoint(7)));
  const extra = snapshot.extra as { pending: { checkpointId: number; transaction: { parts: { inProgress: string; final: string }[] } }[]; current: unknown };
  t.is(extra.pending.length, 1);
  t.is(extra.pending[0].checkpointId, 7);
  t.deepEqual(
    extra.pending[0].transaction.parts.map((part) => part.final),
    ['part-0-0'],
  );
  t.regex(extra.pending[0].transaction.parts[0].inProgress, /^\.part-0-0\.inprogress\./);
  t.deepEqual(extra.current, { parts: [] });
  await sink.close();
});

test('close() after a failure deletes the in-progress part file and leaves the pending ones for recovery', async (t) => {
  const directory = await temporaryDirectory(t);
  const sink = await openSinkOperator(lines(directory).build());
  sink.collect('a', undefined);
  const snapshot = roundTrip(sink.snapshotState(checkpoint(1)));
  sink.collect('b', undefined);
  await sink.close();
  const hidden = await hiddenFiles(directory);
  t.is(hidden.length, 1);
  t.regex(hidden[0], /^\.part-0-0\.inprogress\./);
  await (await openSinkOperator(lines(directory).build(), { snapshot })).close();
  t.deepEqual(await visibleFiles(directory), { 'part-0-0': 'a\n' });
});

test('end of input commits what is pending and what was written since, without a checkpoint', async (t) => {
  const directory = await temporaryDirectory(t);
  const sink = await openSinkOperator(lines(directory).withOutputFileConfig({ partPrefix: 'words', partSuffix: '.txt' }).build());
  sink.collect('a', undefined);
  sink.snapshotState(checkpoint(1));
  sink.collect('b', undefined);
  t.true(sink.emitFinal(100));
  t.is(sink.endInput(), null);
  await sink.close();
  t.deepEqual(await visibleFiles(directory), { 'words-0-0.txt': 'a\n', 'words-0-1.txt': 'b\n' });
  t.deepEqual(await hiddenFiles(directory), []);
});

test('the rolling policy rolls a part file once it reached its maximum size, and the checkpoint commits every rolled file', async (t) => {
  const directory = await temporaryDirectory(t);
  const policy = DefaultRollingPolicy.builder().withMaxPartSize(4).build();
  const sink = await openSinkOperator(lines(directory).withRollingPolicy(policy).build());
  for (const line of ['aa', 'bb', 'cc', 'dd']) sink.collect(line, undefined);
  t.is((await hiddenFiles(directory)).length, 2);
  sink.snapshotState(checkpoint(1));
  t.deepEqual(await visibleFiles(directory), {});
  sink.notifyCheckpointComplete(1);
  t.deepEqual(await visibleFiles(directory), { 'part-0-0': 'aa\nbb\n', 'part-0-1': 'cc\ndd\n' });
  await sink.close();
});

test('the rolling policy rolls a part file once it is older than the rollover interval', async (t) => {
  const directory = await temporaryDirectory(t);
  const sink = await openSinkOperator(lines(directory).withRollingPolicy(DefaultRollingPolicy.builder().withRolloverInterval(1).build()).build());
  sink.collect('a', undefined);
  await new Promise((resolve) => setTimeout(resolve, 5));
  sink.collect('b', undefined);
  sink.snapshotState(checkpoint(1));
  sink.notifyCheckpointComplete(1);
  t.deepEqual(await visibleFiles(directory), { 'part-0-0': 'a\n', 'part-0-1': 'b\n' });
  await sink.close();
});

test('a new run continues the counter after the part files of an earlier one and keeps them', async (t) => {
  const directory = await temporaryDirectory(t);
  const run = async (line: string): Promise<void> => {
    const sink = await openSinkOperator(lines(directory).withRollingPolicy(OnCheckpointRollingPolicy.build()).build());
    sink.collect(line, undefined);
    await sink.endInput();
    await sink.close();
  };
  await run('first');
  await run('second');
  t.deepEqual(await visibleFiles(directory), { 'part-0-0': 'first\n', 'part-0-1': 'second\n' });
});

test('a commit never replaces a visible file: it fails with SINK_WRITE_FAILED naming the sink and both files', async (t) => {
  const directory = await temporaryDirectory(t);
  const sink = await openSinkOperator(lines(directory).build());
  sink.collect('mine', undefined);
  await writeFile(join(directory, 'part-0-0'), 'someone else');
  sink.snapshotState(checkpoint(1));
  const error = await t.throwsAsync(async () => sink.notifyCheckpointComplete(1), { instanceOf: WeirError });
  t.is(error.code, 'SINK_WRITE_FAILED');
  t.regex(error.message, /^operator "Sink: File" \(id "sink-file-1"\): cannot commit \.part-0-0\.inprogress\.[0-9a-f-]+: part-0-0 exists already in /);
  t.deepEqual(await visibleFiles(directory), { 'part-0-0': 'someone else' });
  await sink.close();
});

test('FileSink.forRowFormat and withOutputFileConfig refuse what cannot name a part file', (t) => {
  const noDirectory = t.throws(() => FileSink.forRowFormat(''), { instanceOf: WeirError });
  t.is(noDirectory.code, 'INVALID_ARGUMENT');
  t.is(noDirectory.message, 'FileSink.forRowFormat() needs a directory path, got ');
  const prefix = t.throws(() => FileSink.forRowFormat('/tmp/out').withOutputFileConfig({ partPrefix: 'a/b' }), { instanceOf: WeirError });
  t.is(prefix.code, 'INVALID_ARGUMENT');
  t.is(prefix.message, 'withOutputFileConfig() needs a partPrefix without path separators, got "a/b"');
  const size = t.throws(() => DefaultRollingPolicy.builder().withMaxPartSize(0), { instanceOf: WeirError });
  t.is(size.message, 'DefaultRollingPolicy withMaxPartSize() needs a positive number, got 0');
});

test('a bounded job without checkpointing leaves exactly one visible part file per subtask, and no hidden file', async (t) => {
  const directory = await temporaryDirectory(t);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(2);
  env
    .fromSequence(1, 200)
    .map((n) => ({ n }))
    .sinkTo(FileSink.forRowFormat(directory).withOutputFileConfig({ partSuffix: '.jsonl' }).build());
  await env.execute('file sink spec');
  const files = await visibleFiles(directory);
  t.deepEqual(Object.keys(files), ['part-0-0.jsonl', 'part-1-0.jsonl']);
  const numbers = Object.values(files)
    .flatMap((text) => text.split('\n').filter((line) => line !== ''))
    .map((line) => (JSON.parse(line) as { n: number }).n)
    .sort((a, b) => a - b);
  t.deepEqual(
    numbers,
    Array.from({ length: 200 }, (_, index) => index + 1),
  );
  t.deepEqual(await hiddenFiles(directory), []);
});

test('a FileSink whose directory cannot be created fails the job, naming the absolute directory and the process that tried', async (t) => {
  const directory = await temporaryDirectory(t);
  await writeFile(join(directory, 'blocker'), 'a file where the directory should be');
  const output = relative(process.cwd(), join(directory, 'blocker', 'out'));
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromSequence(1, 3).sinkTo(FileSink.forRowFormat<number>(output, String).build());
  const error = await t.throwsAsync(env.execute('blocked file sink'), { instanceOf: WeirError });
  t.is(error.code, 'JOB_FAILED');
  t.true(
    error.message.endsWith(
      `operator "Sink: File" (id "sink-file-1"): cannot create the directory "${output}" (${join(directory, 'blocker', 'out')}, relative to the working directory of process ${process.pid}): ENOTDIR: not a directory, mkdir '${output}'`,
    ),
    error.message,
  );
});
