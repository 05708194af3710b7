// What the NetworkInput barrier specs share: real LocalInputGates feeding a NetworkInput whose records
// (by value), watermarks and barrier listener calls go into one log, in the order they happened.
import type { Output } from '../../../api/runtime/chain.ts';
import type { BarrierListener } from '../../../api/runtime/checkpointing/barrier-handler.ts';
import type { CheckpointBarrier, CheckpointingMode, InFlightChannel } from '../../../api/runtime/checkpointing/snapshot.ts';
import { NetworkInput } from '../../../api/runtime/network-input.ts';
import type { SourceStatus } from '../../../api/runtime/source-reader.ts';
import { LocalInputGate } from '../../../cluster/taskmanager/network/input-gate.ts';
import { barrier } from './checkpointing/barrier-recorder.ts';

/** A head operator input and the subtask's barrier listener, writing into one log. */
export class Log implements BarrierListener {
  readonly entries: string[] = [];

  target(prefix = ''): Output<unknown> {
    return {
      collect: (value) => void this.entries.push(`${prefix}${String(value)}`),
      emitWatermark: (watermark) => void this.entries.push(`${prefix}wm:${watermark}`),
      emitWatermarkStatus: (status) => void this.entries.push(`${prefix}${status}`),
    };
  }

  onBarrier(received: CheckpointBarrier): void {
    this.entries.push(`snapshot ${received.checkpointId}`);
  }

  onAlignmentAborted(checkpointId: number, reason: string): void {
    this.entries.push(`abort ${checkpointId}: ${reason}`);
  }

  onInFlightRecorded(checkpointId: number, input: InFlightChannel[]): void {
    this.recorded.push({ checkpointId, input });
    this.entries.push(`recorded ${checkpointId}`);
  }

  /** What each onInFlightRecorded() brought. */
  readonly recorded: { checkpointId: number; input: InFlightChannel[] }[] = [];

  take(): string[] {
    return this.entries.splice(0);
  }
}

export interface Setup {
  readonly input: NetworkInput;
  readonly gates: LocalInputGate[];
  readonly log: Log;
  /** Credits returned, per gate, per channel. */
  readonly credits: number[][];
}

/** A NetworkInput over gates of the given channel counts, every gate into one input unless `targets` says. */
export function setup(channelsPerGate: number[], options: { listener?: boolean; targets?: 'one' | 'two-inputs' } = {}): Setup {
  const log = new Log();
  const gates = channelsPerGate.map((channels) => new LocalInputGate(channels));
  const credits = gates.map((gate) => gate.inputChannels.map(() => 0));
  gates.forEach((gate, gateIndex) => gate.inputChannels.forEach((channel, index) => (channel.creditSink = (granted) => (credits[gateIndex][index] += granted))));
  const first = log.target();
  const second = log.target('2:');
  const targets = gates.map((_, index) => (options.targets === 'two-inputs' && index > 0 ? second : first));
  const input = new NetworkInput(gates, targets, [], { current: null });
  if (options.listener !== false) input.setBarrierListener(log);
  return { input, gates, log, credits };
}

/** Delivers records to a channel of a gate as one batch, ending with barrier `checkpointId` if given. */
export function send(gate: LocalInputGate, channel: number, records: unknown[], checkpointId?: number, mode: CheckpointingMode = 'EXACTLY_ONCE'): void {
  const events = checkpointId === undefined ? null : [records.length, barrier(checkpointId, mode)];
  gate.inputChannels[channel].deliver({ records, timestamps: null, events });
}

export function assertWait(t: { fail(message: string): void }, status: SourceStatus): Promise<void> {
  if (status.kind !== 'wait') {
    t.fail(`expected a wait, got ${status.kind}`);
    return Promise.resolve();
  }
  return status.until;
}

/** Whether `promise` settles within a few turns of the event loop. */
export async function settlesSoon(promise: Promise<void>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}
