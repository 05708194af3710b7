// The input channels of a subtask as a barrier handler sees them: one number per channel over every
// gate of the subtask, gate after gate in `context.inputs` order (both inputs of a two-input operator
// together; the watermark valves number per input instead, see NetworkInput).
import type { InputGate } from '../subtask.ts';
import type { InFlightChannel } from './snapshot.ts';

/** What a barrier handler may do to a channel. */
export interface BarrierChannels {
  /** Aligning: the channel's batches stay in its gate (and its credit stops) until resume(). */
  block(channel: number): void;
  resume(channel: number): void;
  /**
   * Unaligned: the subtask snapshots now, so the data of every channel but `caughtUp` that is not
   * processed yet and comes before its barrier (the batch being read, the queued ones, those still
   * to arrive) is recorded for the snapshot, until stopRecording(channel).
   */
  startRecording(checkpointId: number, caughtUp: ReadonlySet<number>): void;
  /** `channel` delivered its barrier (or ended): its recording ends; a barrier that overtook batches adds them first. */
  stopRecording(channel: number): void;
  /** Every channel stopped: what was recorded, per channel (the snapshot's in-flight input). */
  takeRecording(): InFlightChannel[];
  /** The checkpoint was given up: what was recorded is dropped. */
  dropRecording(): void;
}

/** The channels of `gates`, numbered one gate after the other. */
export class GateChannels implements Pick<BarrierChannels, 'block' | 'resume'> {
  /** The number of each gate's channel 0. */
  private readonly firstChannel: readonly number[];
  readonly count: number;

  constructor(private readonly gates: readonly InputGate[]) {
    let next = 0;
    this.firstChannel = gates.map((gate) => {
      const first = next;
      next += gate.channels;
      return first;
    });
    this.count = next;
  }

  /** The number of channel `channel` of gate `gateIndex`. */
  channelOf(gateIndex: number, channel: number): number {
    return this.firstChannel[gateIndex] + channel;
  }

  block(channel: number): void {
    const gateIndex = this.gateOf(channel);
    this.gates[gateIndex].blockChannel(channel - this.firstChannel[gateIndex]);
  }

  resume(channel: number): void {
    const gateIndex = this.gateOf(channel);
    this.gates[gateIndex].resumeChannel(channel - this.firstChannel[gateIndex]);
  }

  /** The gate and that gate's channel of channel `channel` (a restore's in-flight input). */
  locate(channel: number): { readonly gateIndex: number; readonly channel: number } {
    const gateIndex = this.gateOf(channel);
    return { gateIndex, channel: channel - this.firstChannel[gateIndex] };
  }

  /** Per barrier, not per record: a scan over the gates is cheap enough. */
  private gateOf(channel: number): number {
    if (!Number.isInteger(channel) || channel < 0 || channel >= this.count) throw new RangeError(`input channel ${channel} does not exist: the subtask has ${this.count}`);
    let gateIndex = this.gates.length - 1;
    while (this.firstChannel[gateIndex] > channel) gateIndex--;
    return gateIndex;
  }
}
