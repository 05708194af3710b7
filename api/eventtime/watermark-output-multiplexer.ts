// Per-split watermarks inside one source reader (Flink's WatermarkOutputMultiplexer): each split gets
// its own WatermarkOutput (and, through SplitWatermarks, its own generator); the reader's output gets
// the minimum over the splits that are not idle, and is idle when all of them are. A split that
// ends is unregistered and stops holding the watermark back at once.
//
// Immediate outputs combine on every change that can matter (for onEvent: a punctuated generator);
// deferred outputs only record, and onPeriodicEmit() combines them (for onPeriodicEmit, so a round
// of periodic emissions over all splits yields at most one combined watermark).
//
// Unlike Flink, the combined status is reported both ways: the underlying output is marked active
// again as soon as one split is, not only with the next higher watermark.
//
// Threading: none; the reader's task turn only.
import { WeirError } from '../../messages/errors.ts';
import { CombinedWatermarkStatus, PartialWatermark } from './combined-watermark.ts';
import type { WatermarkOutput } from './watermark-generator.ts';

export type SplitId = string | number;

interface SplitOutputs {
  readonly partial: PartialWatermark;
  readonly immediate: WatermarkOutput;
  readonly deferred: WatermarkOutput;
}

export class WatermarkOutputMultiplexer {
  private readonly splits = new Map<SplitId, SplitOutputs>();
  private readonly combined = new CombinedWatermarkStatus();
  /** The status last reported to the underlying output. */
  private reportedIdle = false;

  /** `underlying` is what the reader emits to, usually a WatermarkEmitter. */
  constructor(private readonly underlying: WatermarkOutput) {}

  /** The combined watermark so far (MIN_WATERMARK before the first). */
  get combinedWatermark(): number {
    return this.combined.combinedWatermark;
  }

  /** Adds a split's output; its watermark starts at MIN_WATERMARK, so it holds the minimum back until it emits. */
  registerNewOutput(id: SplitId): void {
    if (this.splits.has(id)) throw new WeirError('INVALID_SPLIT', `watermark multiplexer: split ${String(id)} already has an output`);
    const partial = new PartialWatermark();
    this.splits.set(id, { partial, immediate: this.immediateOutput(partial), deferred: deferredOutput(partial) });
    this.combined.add(partial);
  }

  /** Removes a split's output (the split ended or moved); false when it had none. */
  unregisterOutput(id: SplitId): boolean {
    const outputs = this.splits.get(id);
    if (outputs === undefined) return false;
    this.splits.delete(id);
    this.combined.remove(outputs.partial);
    this.updateCombinedWatermark();
    return true;
  }

  getImmediateOutput(id: SplitId): WatermarkOutput {
    return this.outputsOf(id).immediate;
  }

  getDeferredOutput(id: SplitId): WatermarkOutput {
    return this.outputsOf(id).deferred;
  }

  /** Each split's watermark and idleness now, for introspection (`weir info`): read only. */
  readings(): { readonly id: SplitId; readonly watermark: number; readonly idle: boolean }[] {
    return [...this.splits].map(([id, { partial }]) => ({ id, watermark: partial.watermark, idle: partial.idle }));
  }

  /** Combines what deferred outputs recorded since the last call. */
  onPeriodicEmit(): void {
    this.updateCombinedWatermark();
  }

  private outputsOf(id: SplitId): SplitOutputs {
    const outputs = this.splits.get(id);
    if (outputs === undefined) throw new WeirError('INVALID_SPLIT', `watermark multiplexer: split ${String(id)} has no output; register it first`);
    return outputs;
  }

  private updateCombinedWatermark(): void {
    const combined = this.combined;
    const rose = combined.update();
    if (combined.isIdle !== this.reportedIdle) {
      this.reportedIdle = combined.isIdle;
      if (combined.isIdle) this.underlying.markIdle();
      else this.underlying.markActive();
    }
    if (rose) this.underlying.emitWatermark(combined.combinedWatermark);
  }

  private immediateOutput(partial: PartialWatermark): WatermarkOutput {
    return {
      emitWatermark: (watermark) => {
        const wasIdle = partial.idle;
        // Only a split that rose past the combined watermark, or turned active, can change it.
        if ((partial.setWatermark(watermark) && watermark > this.combined.combinedWatermark) || wasIdle) this.updateCombinedWatermark();
      },
      markIdle: () => {
        if (partial.idle) return;
        partial.idle = true;
        this.updateCombinedWatermark();
      },
      markActive: () => {
        if (!partial.idle) return;
        partial.idle = false;
        this.updateCombinedWatermark();
      },
    };
  }
}

function deferredOutput(partial: PartialWatermark): WatermarkOutput {
  return {
    emitWatermark: (watermark) => {
      partial.setWatermark(watermark);
    },
    markIdle: () => {
      partial.idle = true;
    },
    markActive: () => {
      partial.idle = false;
    },
  };
}
