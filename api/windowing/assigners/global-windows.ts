// GlobalWindows (Flink's): every record of a key goes into the one GlobalWindow. Its default trigger
// never fires, so it is used with a trigger of its own: countWindow(size) is
// window(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(size))), and
// countWindow(size, slide) is ...evictor(CountEvictor.of(size)).trigger(CountTrigger.of(slide)).
// Not event time: a global window is never late and needs no cleanup timer (its end is Infinity).
import { EndOfStreamTrigger } from '../triggers/end-of-stream-trigger.ts';
import { NeverTrigger } from '../triggers/never-trigger.ts';
import type { Trigger } from '../triggers/trigger.ts';
import { GlobalWindow } from '../windows/global-window.ts';
import { GLOBAL_WINDOW_CODEC } from '../windows/namespace-codecs.ts';
import type { WindowNamespaceCodec } from '../windows/window.ts';
import { WindowAssigner, type WindowAssignerContext } from './window-assigner.ts';

/** The same one-window array for every record: assigning allocates nothing. */
const ONLY_WINDOW: readonly GlobalWindow[] = Object.freeze([GlobalWindow.get()]);

export class GlobalWindows extends WindowAssigner<unknown, GlobalWindow> {
  private constructor(private readonly defaultTrigger: Trigger<unknown, GlobalWindow>) {
    super();
  }

  /** Global windows whose default trigger never fires. */
  static create(): GlobalWindows {
    return new GlobalWindows(NeverTrigger.INSTANCE);
  }

  /** Global windows whose default trigger fires once, at the end of input (Flink's createWithEndOfStreamTrigger). */
  static createWithEndOfStreamTrigger(): GlobalWindows {
    return new GlobalWindows(EndOfStreamTrigger.INSTANCE);
  }

  assignWindows(_element: unknown, _timestamp: number, _context: WindowAssignerContext): readonly GlobalWindow[] {
    return ONLY_WINDOW;
  }

  getDefaultTrigger(): Trigger<unknown, GlobalWindow> {
    return this.defaultTrigger;
  }

  getNamespaceCodec(): WindowNamespaceCodec<GlobalWindow> {
    return GLOBAL_WINDOW_CODEC;
  }

  isEventTime(): boolean {
    return false;
  }

  override toString(): string {
    return 'GlobalWindows()';
  }
}
