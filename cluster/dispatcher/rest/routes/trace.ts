// GET /trace?job=&actor=&type=: the cluster's live message trace as Server-Sent Events, one
// `event: trace` per traced message and `event: dropped` for what a traced side (or this stream, when
// its client reads too slowly) shed. Runs until the client goes or the cluster's trace ends.
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { ClusterTraceItem, TraceQuery } from '../../cluster-trace.ts';
import type { RestApp, RestDependencies } from '../context.ts';
import { badRequest } from '../errors.ts';

/** Events written but not yet flushed to a slow client before this stream drops instead. */
export const MAX_PENDING_EVENTS = 1_000;
/** A comment line this often keeps idle connections (and proxies) open. */
export const KEEP_ALIVE_MS = 15_000;
/** The longest filter value accepted (a glob or a job id). */
const MAX_FILTER_LENGTH = 256;

function traceQuery(c: Context): TraceQuery {
  const query: { job?: string; actor?: string; type?: string } = {};
  for (const key of ['job', 'actor', 'type'] as const) {
    const value = c.req.query(key);
    if (value === undefined || value === '') continue;
    if (value.length > MAX_FILTER_LENGTH) throw badRequest(`invalid ${key} filter: over ${MAX_FILTER_LENGTH} characters`);
    query[key] = value;
  }
  return query;
}

/** Writes items as events, dropping (and counting) while MAX_PENDING_EVENTS are unflushed. */
class BoundedEventWriter {
  private pending = 0;
  private dropped = 0;

  constructor(private readonly stream: SSEStreamingApi) {}

  write(item: ClusterTraceItem): void {
    if (this.pending >= MAX_PENDING_EVENTS) {
      this.dropped += item.kind === 'event' ? 1 : item.count;
      return;
    }
    if (this.dropped > 0) {
      const count = this.dropped;
      this.dropped = 0;
      this.send('dropped', { kind: 'dropped', system: 'rest', count });
    }
    this.send(item.kind === 'event' ? 'trace' : 'dropped', item);
  }

  private send(event: string, item: ClusterTraceItem): void {
    let data: string;
    try {
      data = JSON.stringify(item);
    } catch {
      // A summary JSON cannot carry (a BigInt): the event without it.
      data = JSON.stringify(item.kind === 'event' ? { ...item, event: { ...item.event, summary: undefined } } : item);
    }
    this.pending++;
    void this.stream.writeSSE({ event, data }).finally(() => this.pending--);
  }
}

export function traceRoutes(app: RestApp, { trace$ }: RestDependencies): void {
  app.get('/trace', (c) => {
    const query = traceQuery(c);
    return streamSSE(c, async (stream) => {
      const writer = new BoundedEventWriter(stream);
      await new Promise<void>((resolve) => {
        const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
        const end = (): void => {
          clearInterval(keepAlive);
          subscription.unsubscribe();
          resolve();
        };
        const subscription = trace$(query).subscribe({
          next: (item) => writer.write(item),
          error: (error: unknown) => {
            void stream.writeSSE({ event: 'error', data: JSON.stringify({ errors: [`the trace ended: ${error instanceof Error ? error.message : String(error)}`] }) }).finally(end);
          },
          complete: end,
        });
        stream.onAbort(end);
      });
    });
  });
}
