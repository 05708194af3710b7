// Outputs for event-time specs that record what reached them as short strings: 'wm 5', 'idle', 'active'.
import type { StatusWatermarkOutput } from '../../../api/eventtime/watermark.ts';
import type { WatermarkOutput } from '../../../api/eventtime/watermark-generator.ts';

/** What a generator emitted, unfiltered. */
export class RecordingWatermarkOutput implements WatermarkOutput {
  readonly events: string[] = [];

  emitWatermark(watermark: number): void {
    this.events.push(`wm ${watermark}`);
  }

  markIdle(): void {
    this.events.push('idle');
  }

  markActive(): void {
    this.events.push('active');
  }

  /** The events since the last call. */
  take(): string[] {
    return this.events.splice(0);
  }
}

/** What reached the stream: watermarks and statuses. */
export class RecordingStreamOutput implements StatusWatermarkOutput {
  readonly events: string[] = [];

  emitWatermark(watermark: number): void {
    this.events.push(`wm ${watermark}`);
  }

  emitWatermarkStatus(status: 'idle' | 'active'): void {
    this.events.push(status);
  }

  take(): string[] {
    return this.events.splice(0);
  }
}
