import test from 'ava';
import type { ChainTracker, Output } from '../../../api/runtime/chain.ts';
import { keyGroupOf, keyGroupRangeFor } from '../../../api/runtime/key-groups.ts';
import { createPartitioner } from '../../../api/runtime/partitioners/create.ts';
import { rescaleChannels } from '../../../api/runtime/partitioners/rescale.ts';
import type { OutputWriter, StreamEvent } from '../../../api/runtime/subtask.ts';
import { WeirError } from '../../../messages/errors.ts';
import type { JobEdge, OperatorDescriptor, Partitioning } from '../../../messages/job-graph.ts';
import type { PartitionTransformation } from '../../../api/graph/transformation.ts';

/** An OutputWriter that records what each channel got. */
class RecordingWriter implements OutputWriter {
  readonly available = true;
  readonly received: unknown[][];
  /** Per channel, in order: `record@timestamp` for records with one, and `wm:<w>` / `status:<s>` for events. */
  readonly elements: string[][];

  constructor(readonly channels: number) {
    this.received = Array.from({ length: channels }, (): unknown[] => []);
    this.elements = Array.from({ length: channels }, (): string[] => []);
  }

  emit(channel: number, record: unknown, timestamp: number | undefined): void {
    if (!Number.isInteger(channel) || channel < 0 || channel >= this.channels) throw new Error(`channel ${channel} of ${this.channels}`);
    this.received[channel].push(record);
    this.elements[channel].push(`${String(record)}@${String(timestamp)}`);
  }

  broadcast(record: unknown, timestamp: number | undefined): void {
    for (let channel = 0; channel < this.channels; channel++) this.emit(channel, record, timestamp);
  }

  broadcastEvent(event: StreamEvent): void {
    for (const elements of this.elements) elements.push(typeof event === 'number' ? `wm:${event}` : `status:${event}`);
  }

  whenAvailable(): Promise<void> {
    return Promise.resolve();
  }

  flush(): void {}
  finish(): void {}
}

const TARGET: OperatorDescriptor = { id: 'sum-3', kind: 'sum', name: 'Sum', config: {} };
const RECORDS = Array.from({ length: 1000 }, (_, index) => index);

interface Setup {
  readonly partitioning: Partitioning;
  readonly channels: number;
  readonly subtaskIndex?: number;
  readonly parallelism?: number;
  readonly maxParallelism?: number;
  readonly keySelector?: (value: unknown) => unknown;
  readonly partition?: (key: unknown, partitions: number) => number;
}

function partitioner(setup: Setup): { readonly output: Output<unknown>; readonly writer: RecordingWriter; readonly tracker: ChainTracker } {
  const writer = new RecordingWriter(setup.channels);
  const tracker: ChainTracker = { current: null };
  const edge: JobEdge = { sourceVertexId: 'v', sourceOperatorId: 'map-1', partitioning: setup.partitioning, targetInput: 0, partitionerId: 'p-2' };
  const transformation = { role: 'partition', index: 2, kind: 'p', name: 'P', uid: undefined, input: undefined, partitioning: setup.partitioning, keySelector: setup.keySelector, partition: setup.partition };
  const context = { subtaskIndex: setup.subtaskIndex ?? 0, parallelism: setup.parallelism ?? setup.channels, maxParallelism: setup.maxParallelism ?? 128, tracker };
  const output = createPartitioner(edge, writer, context, transformation as unknown as PartitionTransformation, TARGET);
  return { output, writer, tracker };
}

function send(output: Output<unknown>, records: readonly unknown[] = RECORDS): void {
  for (const record of records) output.collect(record, undefined);
}

const sorted = (values: unknown[]): number[] => (values as number[]).slice().sort((a, b) => a - b);

test('forward sends every record to the channel of the same subtask index', (t) => {
  const { output, writer } = partitioner({ partitioning: 'forward', channels: 3, subtaskIndex: 2 });
  send(output);
  t.deepEqual(writer.received, [[], [], RECORDS]);
});

test('rebalance deals records round robin, starting at the subtask index, so channel counts differ by at most one', (t) => {
  const { output, writer } = partitioner({ partitioning: 'rebalance', channels: 3, subtaskIndex: 1, parallelism: 2 });
  send(output, [0, 1, 2, 3, 4, 5, 6]);
  t.deepEqual(writer.received, [[2, 5], [0, 3, 6], [1, 4]]);
});

test('rescale deals round robin over the block of channels of its subtask only', (t) => {
  t.deepEqual([0, 1].map((index) => rescaleChannels(index, 2, 4)), [
    { first: 0, last: 1 },
    { first: 2, last: 3 },
  ]);
  t.deepEqual([0, 1, 2, 3].map((index) => rescaleChannels(index, 4, 2)), [
    { first: 0, last: 0 },
    { first: 0, last: 0 },
    { first: 1, last: 1 },
    { first: 1, last: 1 },
  ]);
  const { output, writer } = partitioner({ partitioning: 'rescale', channels: 4, subtaskIndex: 1, parallelism: 2 });
  send(output, [0, 1, 2, 3, 4]);
  t.deepEqual(writer.received, [[], [], [0, 2, 4], [1, 3]]);
});

test('shuffle sends every record exactly once, to every channel about equally, the same way on every run', (t) => {
  const first = partitioner({ partitioning: 'shuffle', channels: 4, subtaskIndex: 1 });
  const again = partitioner({ partitioning: 'shuffle', channels: 4, subtaskIndex: 1 });
  send(first.output);
  send(again.output);
  t.deepEqual(sorted(first.writer.received.flat()), RECORDS);
  t.deepEqual(first.writer.received, again.writer.received);
  for (const channel of first.writer.received) t.true(channel.length > 200 && channel.length < 300, `${channel.length} of 1000 records`);
});

test('broadcast sends every record to every channel', (t) => {
  const { output, writer } = partitioner({ partitioning: 'broadcast', channels: 3 });
  send(output);
  t.deepEqual(writer.received, [RECORDS, RECORDS, RECORDS]);
});

test('global sends every record to channel 0', (t) => {
  const { output, writer } = partitioner({ partitioning: 'global', channels: 3, subtaskIndex: 2 });
  send(output);
  t.deepEqual(writer.received, [RECORDS, [], []]);
});

test('hash sends each record once, to the channel whose key group range holds its key', (t) => {
  const words = RECORDS.map((index) => `word-${index % 97}`);
  const { output, writer } = partitioner({ partitioning: 'hash', channels: 3, maxParallelism: 128, keySelector: (word) => word });
  send(output, words);
  t.deepEqual(writer.received.flat().sort(), words.slice().sort());
  writer.received.forEach((channel, index) => {
    const range = keyGroupRangeFor(index, 128, 3);
    for (const word of channel) {
      const group = keyGroupOf(word, 128);
      t.true(group >= range.start && group <= range.end, `${String(word)} in group ${group}, channel ${index}`);
    }
  });
  const channelsPerKey = new Map<unknown, Set<number>>();
  writer.received.forEach((channel, index) => channel.forEach((word) => channelsPerKey.set(word, (channelsPerKey.get(word) ?? new Set()).add(index))));
  t.true([...channelsPerKey.values()].every((channels) => channels.size === 1), 'a key never goes to two channels');
});

test('hash fails with INVALID_KEY naming the keyed operator when the key selector returns undefined or an object', (t) => {
  const { output } = partitioner({ partitioning: 'hash', channels: 2, keySelector: (value) => (value as { id?: unknown }).id });
  const missing = t.throws(() => output.collect({ name: 'x' }, undefined), { instanceOf: WeirError });
  t.is(missing.code, 'INVALID_KEY');
  t.is(missing.message, 'operator "Sum" (id "sum-3"): the key selector returned undefined; a key must be a string, number, boolean or bigint');
  const object = t.throws(() => output.collect({ id: { a: 1 } }, undefined), { instanceOf: WeirError });
  t.is(object.message, 'operator "Sum" (id "sum-3"): the key selector returned an object {"a":1}; a key must be a string, number, boolean or bigint');
});

test('a key selector that throws leaves the keyed operator in the tracker, so the failure names it', (t) => {
  const { output, tracker } = partitioner({
    partitioning: 'hash',
    channels: 2,
    keySelector: () => {
      throw new Error('no key');
    },
  });
  t.throws(() => output.collect(1, undefined), { message: 'no key' });
  t.is(tracker.current, TARGET);
});

test('custom sends each record to the channel its partitioner picks for its key, and fails on a channel out of range', (t) => {
  const { output, writer } = partitioner({ partitioning: 'custom', channels: 4, keySelector: (n) => (n as number) * 10, partition: (key, partitions) => ((key as number) / 10) % partitions });
  send(output, [0, 1, 2, 3, 4, 5]);
  t.deepEqual(writer.received, [[0, 4], [1, 5], [2], [3]]);
  const bad = partitioner({ partitioning: 'custom', channels: 4, keySelector: (n) => n, partition: () => 4 });
  const error = t.throws(() => bad.output.collect(1, undefined), { instanceOf: WeirError });
  t.is(error.code, 'INVALID_PARTITIONING');
  t.is(error.message, 'operator "Sum" (id "sum-3"): the custom partitioner returned 4; it must return an integer from 0 to 3');
});

test('every partitioner carries each record\'s timestamp and sends each watermark and status to every channel, in order, but not the end of event time', (t) => {
  const partitionings: Partitioning[] = ['forward', 'rebalance', 'rescale', 'shuffle', 'broadcast', 'global', 'hash', 'custom'];
  for (const partitioning of partitionings) {
    const { output, writer } = partitioner({ partitioning, channels: 2, subtaskIndex: 0, parallelism: 2, keySelector: (value) => value, partition: () => 0 });
    output.collect(1, 10);
    output.emitWatermark(9);
    output.emitWatermarkStatus('idle');
    output.collect(2, undefined);
    output.emitWatermark(Number.POSITIVE_INFINITY);
    for (const elements of writer.elements) {
      t.deepEqual(
        elements.filter((element) => !element.includes('@')),
        ['wm:9', 'status:idle'],
        `${partitioning}: events reach every channel`,
      );
    }
    const records = writer.elements.flat().filter((element) => element.includes('@'));
    t.true(records.includes('1@10') && records.includes('2@undefined'), `${partitioning}: ${records.join(', ')}`);
    const first = writer.elements.find((elements) => elements.includes('1@10')) as string[];
    t.true(first.indexOf('1@10') < first.indexOf('wm:9'), `${partitioning}: the record precedes the watermark that followed it`);
  }
});
