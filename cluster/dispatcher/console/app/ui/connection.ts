// Whether the cluster answers: every poll reports here, and the banner shows the last failure while
// nothing gets through, so an unreachable cluster is a message on top of the last data, not a blank page.
import { useEffect, useState } from './html.ts';

export interface ConnectionState {
  readonly reachable: boolean;
  /** The last network error, while unreachable. */
  readonly error: string | null;
  /** When the cluster stopped answering (epoch ms). */
  readonly since: number | null;
}

let state: ConnectionState = { reachable: true, error: null, since: null };
const listeners = new Set<(state: ConnectionState) => void>();

function publish(next: ConnectionState): void {
  state = next;
  for (const listener of listeners) listener(state);
}

export function reportReachable(): void {
  if (!state.reachable) publish({ reachable: true, error: null, since: null });
}

export function reportUnreachable(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  publish({ reachable: false, error: message, since: state.since ?? Date.now() });
}

export function useConnection(): ConnectionState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    listeners.add(setCurrent);
    setCurrent(state);
    return () => {
      listeners.delete(setCurrent);
    };
  }, []);
  return current;
}
