// The live trace: an EventSource on GET /trace with the filter as its query, rows kept in a bounded
// list (the oldest go), a paused state that holds new rows aside, and the counts of what the
// cluster dropped. Views re-render at most once per animation frame, however fast rows come.
import { BoundedList } from '../lib/bounded-list.ts';
import { type TraceFilterInput, type TraceRow, parseTraceItem, traceQuery } from '../lib/trace-items.ts';
import { useEffect, useRef, useState } from './html.ts';

/** Rows the list keeps; older ones are let go (and counted). */
export const TRACE_CAPACITY = 5_000;

/** How long to wait before opening the stream again after the server refused it. */
const RETRY_MS = 2_000;

export type StreamStatus = 'connecting' | 'open' | 'reconnecting';

export interface TraceStream {
  readonly rows: BoundedList<TraceRow>;
  /** Rows that came while paused, shown on resume. */
  readonly pending: BoundedList<TraceRow>;
  readonly status: StreamStatus;
  /** What the traced side shed under load (its `dropped` events), summed. */
  readonly dropped: number;
  /** Bumped when the rows change; a render key. */
  readonly version: number;
  clear(): void;
}

export function useTraceStream(filter: TraceFilterInput, paused: boolean): TraceStream {
  const rows = useRef(new BoundedList<TraceRow>(TRACE_CAPACITY)).current;
  const pending = useRef(new BoundedList<TraceRow>(TRACE_CAPACITY)).current;
  const sequence = useRef(0);
  const pausedRef = useRef(paused);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [dropped, setDropped] = useState(0);
  const [version, setVersion] = useState(0);
  const frame = useRef<number | null>(null);

  const schedule = (): void => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setVersion((value) => value + 1);
    });
  };

  useEffect(() => {
    pausedRef.current = paused;
    if (!paused && pending.size > 0) {
      rows.pushAll(pending.toArray());
      pending.clear();
    }
    schedule();
  }, [paused]);

  const query = traceQuery(filter);
  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const onItem = (event: MessageEvent<string>): void => {
      const item = parseTraceItem(event.data);
      if (!item) return;
      if (item.kind === 'dropped') {
        setDropped((count) => count + item.count);
        return;
      }
      const row: TraceRow = { seq: sequence.current++, ...item.row };
      (pausedRef.current ? pending : rows).push(row);
      schedule();
    };
    const open = (): void => {
      setStatus('connecting');
      const current = new EventSource(`/trace${query}`);
      source = current;
      current.addEventListener('trace', onItem as EventListener);
      current.addEventListener('dropped', onItem as EventListener);
      current.onopen = () => setStatus('open');
      // EventSource retries a dropped connection by itself, but gives up on an error status: then we retry.
      current.onerror = () => {
        setStatus('reconnecting');
        if (current.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(open, RETRY_MS);
      };
    };
    open();
    return () => {
      if (retry !== undefined) clearTimeout(retry);
      source?.close();
    };
  }, [query]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  return {
    rows,
    pending,
    status,
    dropped,
    version,
    clear: () => {
      rows.clear();
      pending.clear();
      setDropped(0);
      schedule();
    },
  };
}
