// The message trace as the console receives it: Server-Sent Events from GET /trace, each `trace`
// event one ClusterTraceItem as JSON (cluster/dispatcher/cluster-trace.ts), read here with narrow
// checks since it comes off the wire.
import { actorMatcher, typeMatcher } from './glob.ts';

/** One traced message, as a row of the trace list. */
export interface TraceRow {
  /** Arrival order in this console, for keys and selection. */
  readonly seq: number;
  readonly at: number;
  readonly from: string | null;
  readonly to: string;
  readonly type: string;
  readonly bytes: number | null;
  readonly jobId: string | null;
  /** The system that observed the message. */
  readonly system: string;
  readonly direction: string;
  /** A bounded summary of the payload's fields. */
  readonly summary: unknown;
}

export type TraceItem =
  | { readonly kind: 'event'; readonly row: Omit<TraceRow, 'seq'> }
  | { readonly kind: 'dropped'; readonly system: string; readonly count: number };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A ClusterTraceItem from its JSON, or null when it has neither shape (the row is skipped, not the stream). */
export function parseTraceItem(json: string): TraceItem | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  if (value.kind === 'dropped') {
    return typeof value.count === 'number' ? { kind: 'dropped', system: typeof value.system === 'string' ? value.system : '?', count: value.count } : null;
  }
  const event = value.kind === 'event' ? value.event : undefined;
  if (!isRecord(event) || typeof event.at !== 'number' || typeof event.to !== 'string' || typeof event.type !== 'string') return null;
  return {
    kind: 'event',
    row: {
      at: event.at,
      from: typeof event.from === 'string' ? event.from : null,
      to: event.to,
      type: event.type,
      bytes: typeof event.bytes === 'number' ? event.bytes : null,
      jobId: typeof event.jobId === 'string' ? event.jobId : null,
      system: typeof event.system === 'string' ? event.system : '?',
      direction: typeof event.direction === 'string' ? event.direction : 'local',
      summary: event.summary,
    },
  };
}

/** The trace list's filter inputs: a job id, an actor path glob, a message type glob. */
export interface TraceFilterInput {
  readonly job: string;
  readonly actor: string;
  readonly type: string;
}

export const NO_FILTER: TraceFilterInput = { job: '', actor: '', type: '' };

/** GET /trace's query string for the filter; only the filled inputs. */
export function traceQuery(filter: TraceFilterInput): string {
  const params = new URLSearchParams();
  if (filter.job.trim()) params.set('job', filter.job.trim());
  if (filter.actor.trim()) params.set('actor', filter.actor.trim());
  if (filter.type.trim()) params.set('type', filter.type.trim());
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** A predicate for rows already shown: a job by its id or a prefix of it, the actor glob on sender or recipient, the type glob. */
export function rowFilter(filter: TraceFilterInput): (row: TraceRow) => boolean {
  const job = filter.job.trim();
  const actor = actorMatcher(filter.actor);
  const type = typeMatcher(filter.type);
  return (row) => (job === '' || (row.jobId !== null && row.jobId.startsWith(job))) && (actor(row.to) || (row.from !== null && actor(row.from))) && type(row.type);
}

/** How many fields of a summary the detail pane lists before saying how many more there are. */
export const SUMMARY_FIELDS_SHOWN = 40;

/** A summary as label/value lines: nested objects flattened with dotted names, long values cut. */
export function summaryFields(summary: unknown, maxValueLength = 200): { readonly fields: readonly (readonly [string, string])[]; readonly more: number } {
  const fields: [string, string][] = [];
  let total = 0;
  const visit = (value: unknown, name: string, depth: number): void => {
    if (isRecord(value) && !Array.isArray(value) && depth < 3 && Object.keys(value).length > 0) {
      for (const [key, inner] of Object.entries(value)) visit(inner, name ? `${name}.${key}` : key, depth + 1);
      return;
    }
    total++;
    if (fields.length >= SUMMARY_FIELDS_SHOWN) return;
    const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    fields.push([name || '(value)', text.length > maxValueLength ? `${text.slice(0, maxValueLength - 1)}…` : text]);
  };
  if (summary !== undefined && summary !== null) visit(summary, '', 0);
  return { fields, more: total - fields.length };
}
