// A window groups a key's records for one evaluation (Flink's Window). The window operator keeps a
// window's contents, trigger state and timers in keyed state under the window's namespace: a
// primitive that a WindowNamespaceCodec makes from the window and turns back into it. The codec
// runs per record, so it must be cheap; each assigner names the codec for the windows it makes.
import type { Namespace } from '../../state/keyed-state-backend.ts';

export interface Window {
  /** The largest timestamp still in the window: an event-time window fires when the watermark reaches it. */
  maxTimestamp(): number;
  equals(other: Window): boolean;
}

/**
 * Window <-> state namespace. Equal windows must give equal namespaces, and fromNamespace(toNamespace(w))
 * must equal w. The window operator uses toNamespace to scope state and timers to a window, and
 * fromNamespace when a timer (which carries only the namespace) fires.
 */
export interface WindowNamespaceCodec<W extends Window> {
  toNamespace(window: W): Namespace;
  fromNamespace(namespace: Namespace): W;
}
