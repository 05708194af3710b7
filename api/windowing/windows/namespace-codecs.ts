// The namespace codecs of the built-in windows (see WindowNamespaceCodec). They are what keyed state
// and timers store, so a change to a format breaks restoring older snapshots.
//
// - Windows of one fixed size (tumbling, sliding): the start, a number. No allocation either way
//   beyond the window itself. (VOID_NAMESPACE is '', so no window's namespace equals it.)
// - Windows of any size (sessions): "start:end", a string (a number cannot hold two timestamps),
//   with the last two windows' strings remembered.
// - The global window: the string "global" (never VOID_NAMESPACE, so a count window's window state
//   cannot alias the key's global state).
import { WeirError } from '../../../messages/errors.ts';
import type { Namespace } from '../../state/keyed-state-backend.ts';
import { GlobalWindow } from './global-window.ts';
import { TimeWindow } from './time-window.ts';
import type { WindowNamespaceCodec } from './window.ts';

const GLOBAL_NAMESPACE = 'global';

/**
 * TimeWindows of any size, as "start:end". Writing the string costs ~130 ns (two 13-digit numbers),
 * so the last two windows encoded are remembered by identity: per record the window operator
 * encodes the same two objects again and again (a session's state window, kept by the
 * MergingWindowSet, and its current window), and a hit costs ~2 ns. Windows are immutable, so an
 * object's namespace never changes.
 */
class TimeWindowCodec implements WindowNamespaceCodec<TimeWindow> {
  private lastWindow: TimeWindow | undefined = undefined;
  private lastNamespace = '';
  private previousWindow: TimeWindow | undefined = undefined;
  private previousNamespace = '';

  toNamespace(window: TimeWindow): Namespace {
    if (window === this.lastWindow) return this.lastNamespace;
    if (window === this.previousWindow) return this.previousNamespace;
    const namespace = `${window.start}:${window.end}`;
    this.previousWindow = this.lastWindow;
    this.previousNamespace = this.lastNamespace;
    this.lastWindow = window;
    this.lastNamespace = namespace;
    return namespace;
  }

  fromNamespace(namespace: Namespace): TimeWindow {
    if (typeof namespace === 'string') {
      const separator = namespace.indexOf(':');
      if (separator > 0 && separator < namespace.length - 1) {
        const start = Number(namespace.slice(0, separator));
        const end = Number(namespace.slice(separator + 1));
        if (Number.isFinite(start) && Number.isFinite(end)) return new TimeWindow(start, end);
      }
    }
    throw notANamespace('a time window ("start:end")', namespace);
  }
}

export const TIME_WINDOW_CODEC: WindowNamespaceCodec<TimeWindow> = new TimeWindowCodec();

/** TimeWindows all of `size` ms, as their start. */
export function fixedSizeTimeWindowCodec(size: number): WindowNamespaceCodec<TimeWindow> {
  return {
    toNamespace(window: TimeWindow): Namespace {
      return window.start;
    },
    fromNamespace(namespace: Namespace): TimeWindow {
      if (typeof namespace !== 'number') throw notANamespace(`a time window of ${size} ms (its start)`, namespace);
      return new TimeWindow(namespace, namespace + size);
    },
  };
}

export const GLOBAL_WINDOW_CODEC: WindowNamespaceCodec<GlobalWindow> = {
  toNamespace(): Namespace {
    return GLOBAL_NAMESPACE;
  },
  fromNamespace(namespace: Namespace): GlobalWindow {
    if (namespace !== GLOBAL_NAMESPACE) throw notANamespace(`the global window ("${GLOBAL_NAMESPACE}")`, namespace);
    return GlobalWindow.get();
  },
};

function notANamespace(expected: string, namespace: Namespace): WeirError {
  return new WeirError('INVALID_ARGUMENT', `namespace ${JSON.stringify(namespace)} is not ${expected}; was the state written by another window assigner?`);
}
