// Polls REST paths about once a second with fetch. The next round starts when the last one has
// ended, so a slow cluster is never asked twice at once; the last good answer stays on screen while
// a request fails.
import { reportReachable, reportUnreachable } from './connection.ts';
import { useEffect, useState } from './html.ts';

export const POLL_INTERVAL_MS = 1_000;

export interface Polled<T> {
  readonly data: T | null;
  /** The REST API's complaint about the last request (`{"errors": [...]}`), with its status. */
  readonly error: string | null;
  readonly status: number | null;
  /** When `data` arrived (epoch ms). */
  readonly at: number | null;
}

const EMPTY: Polled<never> = { data: null, error: null, status: null, at: null };

/** The REST API's error message for a failed answer. */
export async function errorOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { errors?: unknown };
    if (Array.isArray(body.errors) && body.errors.length > 0) return `${response.status}: ${body.errors.map(String).join('; ')}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return `${response.status} ${response.statusText}`.trim();
}

/** One GET of `path` as JSON; network failures go to the connection banner and come back as null. */
export async function fetchJson<T>(path: string, signal?: AbortSignal): Promise<Polled<T> | null> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) return null;
    reportUnreachable(error);
    return null;
  }
  reportReachable();
  // The cluster has a secret and this browser's session ended (expired, the JobManager restarted): log in again.
  if (response.status === 401) window.location.assign('/login');
  if (!response.ok) return { data: null, error: await errorOf(response), status: response.status, at: null };
  try {
    return { data: (await response.json()) as T, error: null, status: response.status, at: Date.now() };
  } catch (error) {
    return { data: null, error: `${path} answered with something other than JSON: ${String(error)}`, status: response.status, at: null };
  }
}

/** A new answer, or the previous answer with the new one's error (a failure keeps the last data). */
export function merge<T>(previous: Polled<T> | undefined, next: Polled<T> | null): Polled<T> | undefined {
  if (!next) return previous;
  if (next.data === null && previous) return { ...previous, error: next.error, status: next.status };
  return next;
}

/** Answers for `paths`, fetched together every `intervalMs` while the component lives; `key` names the set. */
export function usePolling<T>(key: string, paths: readonly string[], intervalMs: number, onRound: (answers: readonly (Polled<T> | null)[]) => void): void {
  useEffect(() => {
    if (paths.length === 0) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const round = async (): Promise<void> => {
      const answers = await Promise.all(paths.map((path) => fetchJson<T>(path, abort.signal)));
      if (abort.signal.aborted) return;
      onRound(answers);
      timer = setTimeout(() => void round(), intervalMs);
    };
    void round();
    return () => {
      abort.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
    // `key` stands for `paths`: a new array with the same paths must not restart the polling.
  }, [key, intervalMs]);
}

/** `path`'s answer, refreshed every `intervalMs`; null `path` polls nothing. */
export function usePoll<T>(path: string | null, intervalMs = POLL_INTERVAL_MS): Polled<T> {
  const [polled, setPolled] = useState<Polled<T>>(EMPTY);
  useEffect(() => setPolled(EMPTY), [path]);
  usePolling<T>(path ?? '', path === null ? [] : [path], intervalMs, ([answer]) => setPolled((previous) => merge(previous, answer ?? null) ?? EMPTY));
  return polled;
}
