// Helpers for the network specs: channel locations, bounded waits, a reader that records what a
// subpartition hands it, a gate drained to the end, and TaskManager-like peers (a NetworkEnvironment
// with its data server on 127.0.0.1 port 0) that close with the test.
import type { ExecutionContext } from 'ava';
import type { InputElement, RecordBatch } from '../../../../api/runtime/subtask.ts';
import type { CheckpointBarrier } from '../../../../api/runtime/checkpointing/snapshot.ts';
import { Logger } from '../../../../actors/index.ts';
import { resourceId } from '../../../../messages/ids.ts';
import type { ChannelLocation } from '../../../../messages/task-manager.ts';
import { DataServer, type DataServerOptions } from '../../../../cluster/taskmanager/network/data-server.ts';
import type { LocalInputGate } from '../../../../cluster/taskmanager/network/input-gate.ts';
import { NetworkEnvironment } from '../../../../cluster/taskmanager/network/network-environment.ts';
import type { SubpartitionReader } from '../../../../cluster/taskmanager/network/subpartition.ts';
import { WeirError } from '../../../../messages/errors.ts';
import { LogCollector } from '../../../testkit/index.ts';

export const JOB = 'job-1';

export function location(partitionKey: string, subpartition: number, producer = 'tm-a', dataAddress: string | null = null): ChannelLocation {
  return { partitionKey, subpartition, resourceId: resourceId(producer), dataAddress };
}

/** Resolves with `promise`, or rejects naming `what` once `ms` have passed. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `condition` every 5 ms; rejects naming `what` after `ms`. */
export async function eventually(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits (5 s at most) for `gate` to fail, and returns the WeirError its poll() then throws. */
export async function pollFailure(gate: { poll(): unknown; whenAvailable(): Promise<void>; failed: Error | undefined }): Promise<WeirError> {
  await within(
    (async () => {
      while (!gate.failed) await gate.whenAvailable().then(() => (gate.failed ? undefined : gate.poll()));
    })(),
    5000,
    'the gate to fail',
  );
  try {
    gate.poll();
  } catch (error) {
    if (error instanceof WeirError) return error;
    throw error;
  }
  throw new Error('poll() did not throw');
}

/** Lets pending I/O and timers run for `ms`. */
export const settle = (ms = 50): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A reader that records what it is handed. */
export class RecordingReader implements SubpartitionReader {
  /** The records of each batch handed over. */
  readonly batches: unknown[][] = [];
  /** The batches themselves (timestamps, events). */
  readonly delivered: RecordBatch[] = [];
  ended = false;
  failure: Error | undefined;
  /** Everything handed over, in order: `batch <records>` or `priority <checkpointId>`. */
  readonly log: string[] = [];

  deliver(batch: RecordBatch): void {
    this.batches.push([...batch.records]);
    this.delivered.push(batch);
    this.log.push(`batch ${batch.records.join(',')}`);
  }

  deliverPriority(event: CheckpointBarrier): void {
    this.log.push(`priority ${event.checkpointId}`);
  }

  end(): void {
    this.ended = true;
  }

  fail(error: Error): void {
    this.failure = error;
  }
}

/** Polls `gate` to its end; the records of each channel in arrival order. Throws what poll() throws. */
export async function drain(gate: LocalInputGate, ms = 5_000): Promise<unknown[][]> {
  const perChannel: unknown[][] = Array.from({ length: gate.channels }, () => []);
  const deadline = Date.now() + ms;
  while (!gate.finished) {
    const element = gate.poll();
    if (element) {
      perChannel[element.channel].push(...recordsOf(element));
      continue;
    }
    await within(gate.whenAvailable(), deadline - Date.now(), 'the gate to have input');
  }
  return perChannel;
}

/** Emits `records` into `emit`, waiting whenever the writer is not available (a producer task's loop). */
export async function produce(writer: { available: boolean; whenAvailable(): Promise<void> }, count: number, emit: (index: number) => void, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (let index = 0; index < count; index++) {
    if (!writer.available) await within(writer.whenAvailable(), deadline - Date.now(), 'the producer to be available');
    emit(index);
  }
}

export interface Peer {
  readonly name: string;
  readonly network: NetworkEnvironment;
  readonly server: DataServer;
  readonly address: string;
  readonly logs: LogCollector;
}

/** A TaskManager's network stack: its environment and its listening data server, closed when the test ends. */
export async function startPeer(t: ExecutionContext, name: string, options: Partial<DataServerOptions> = {}): Promise<Peer> {
  const logs = new LogCollector();
  const server = new DataServer({ host: '127.0.0.1', log: new Logger({ level: 'debug', sink: logs.sink }).child({ tm: name }), ...options });
  const network = new NetworkEnvironment((where) => where.resourceId === name, server);
  const address = await server.listen(network);
  t.teardown(() => server.close());
  return { name, network, server, address, logs };
}

/** Records 0..count-1 as small objects, the shape the bench uses. */
export const record = (channel: number, seq: number): { channel: number; seq: number; word: string } => ({ channel, seq, word: `w${seq % 97}` });

/** A batch of plain records: no timestamps, no events. */
export function batchOf(...records: unknown[]): RecordBatch {
  return { records, timestamps: null, events: null };
}

/** The records a polled element carries (none for a channel's end). */
export function recordsOf(element: InputElement): readonly unknown[] {
  return element.kind === 'batch' ? element.batch.records : [];
}
