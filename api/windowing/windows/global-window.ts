// The one window of GlobalWindows (Flink's GlobalWindow): every record of a key goes into it, and
// it never ends, so only a trigger (CountTrigger, an end-of-stream trigger) ever evaluates it.
import { MAX_WATERMARK } from '../../eventtime/watermark.ts';
import type { Window } from './window.ts';

export class GlobalWindow implements Window {
  private static readonly INSTANCE = new GlobalWindow();

  private constructor() {}

  static get(): GlobalWindow {
    return GlobalWindow.INSTANCE;
  }

  /** MAX_WATERMARK (Infinity), where Flink has Long.MAX_VALUE: only the end of input reaches it. */
  maxTimestamp(): number {
    return MAX_WATERMARK;
  }

  equals(other: Window): boolean {
    return other instanceof GlobalWindow;
  }

  toString(): string {
    return 'GlobalWindow';
  }
}
