// Fixtures for the transactional sink specs: the operator sinkTo() would build for a FileSink or a
// TwoPhaseCommitSink, made by hand for one subtask, temporary directories, and a snapshot's trip
// through msgpack (as the Task writes it to the checkpoint directory and reads it back).
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DISCARDING_OUTPUT, type OperatorRuntime } from '../../../api/runtime/chain.ts';
import { operatorRuntime } from '../sources/source-fixtures.ts';
import type { OperatorSnapshot, SnapshotContext } from '../../../api/runtime/checkpointing/snapshot.ts';
import { transactionalSink } from '../../../api/sinks/transactional-sink.ts';
import type { TwoPhaseCommitSinkOperator } from '../../../api/sinks/two-phase-commit-operator.ts';
import { decode, encode } from '../../../messages/codec.ts';
import { fakeContext } from '../helpers.ts';

export type SinkOperator = TwoPhaseCommitSinkOperator<unknown, unknown>;

export async function temporaryDirectory(t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'weir-file-sink-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** The operator of `sink` (a FileSink or a TwoPhaseCommitSink), restored from `snapshot` when given, and opened. */
export async function openSinkOperator(sink: unknown, options: { snapshot?: OperatorSnapshot; subtaskIndex?: number } = {}): Promise<SinkOperator> {
  const declaration = transactionalSink(sink);
  if (declaration === null) throw new Error('not a transactional sink');
  const operator = declaration.factory('spec')(sinkRuntime(declaration.name, `${declaration.kind}-1`, options.subtaskIndex ?? 0), DISCARDING_OUTPUT) as SinkOperator;
  if (options.snapshot) operator.restoreState(options.snapshot);
  await operator.open();
  return operator;
}

function sinkRuntime(name: string, id: string, subtaskIndex: number): OperatorRuntime {
  return operatorRuntime(name, id, fakeContext({ subtaskIndex, parallelism: subtaskIndex + 1 }));
}

export function checkpoint(checkpointId: number): SnapshotContext {
  return { checkpointId, timestamp: 1_700_000_000_000 + checkpointId, savepoint: false };
}

/** What a restore gets back of a snapshot, once written and read with Weir's msgpackr codec. */
export function roundTrip(snapshot: OperatorSnapshot | null): OperatorSnapshot {
  if (snapshot === null) throw new Error('the sink took no snapshot');
  return decode(encode(snapshot)) as OperatorSnapshot;
}

/** The directory's visible files and their contents, by name. */
export async function visibleFiles(directory: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(directory)).sort()) if (!name.startsWith('.')) files[name] = await readFile(join(directory, name), 'utf8');
  return files;
}

export async function hiddenFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => name.startsWith('.')).sort();
}
