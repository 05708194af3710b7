// The namespace codecs of the built-in windows (see WindowNamespaceCodec). They are what keyed state
// and timers store, so a change to a format breaks restoring older snapshots.
//
// - Windows of one fixed size (tumbling, sliding): the start, a number. No allocation either way
//   beyond the window itself. A window starting at 0 has namespace 0, which is also VOID_NAMESPACE:
//   the window operator must not let one state name be both window-scoped and global.
// - Windows of any size (sessions): "start:end", a string. One string per record, the price of
//   merging windows; a number cannot hold two timestamps.
// - The global window: the string "global" (never VOID_NAMESPACE, so a count window's window state
//   cannot alias the key's global state).
import { WeirError } from '../../../messages/errors.ts';
import type { Namespace } from '../../state/keyed-state-backend.ts';
import { GlobalWindow } from './global-window.ts';
import { TimeWindow } from './time-window.ts';
import type { WindowNamespaceCodec } from './window.ts';

const GLOBAL_NAMESPACE = 'global';

/** TimeWindows of any size, as "start:end". */
export const TIME_WINDOW_CODEC: WindowNamespaceCodec<TimeWindow> = {
  toNamespace(window: TimeWindow): Namespace {
    return `${window.start}:${window.end}`;
  },
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
  },
};

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
