// What a traced message says, for the people watching: the job it is about and a bounded, readable
// summary of its fields. Both are computed on the traced side, and only for events a subscriber's
// filter let through (the summary only for those that are actually sent): a message of 10 MB costs
// what its first few fields cost, never a walk over all of it.
import { BaseRef } from './actor-ref.ts';

/** Bounds of a payload summary; a summary of any message stays within a few kilobytes. */
export const SUMMARY_MAX_DEPTH = 3;
export const SUMMARY_MAX_FIELDS = 12;
export const SUMMARY_MAX_ITEMS = 8;
export const SUMMARY_MAX_STRING_CHARS = 96;
/** Values written in all (fields, items, nested values); past it the rest is elided. */
export const SUMMARY_MAX_VALUES = 64;

/** Where a job's actors live: the JobManager of job J is `.../job-J`. */
const JOB_ACTOR = /\/job-([^/]+)/;

/**
 * The job a message is about: its own `jobId` field, else one in a field one level down (a task's
 * descriptor), else the job its recipient (or sender) works for — a path registered with the hub
 * (a task) or a job's actor by name (`job-<id>`).
 */
export function jobIdOf(msg: unknown, to: string, from: string | undefined, actorJobs: ReadonlyMap<string, string>): string | undefined {
  if (typeof msg === 'object' && msg !== null) {
    const own = (msg as { jobId?: unknown }).jobId;
    if (typeof own === 'string') return own;
    let looked = 0;
    for (const key in msg) {
      if (++looked > SUMMARY_MAX_FIELDS) break;
      const field = (msg as Record<string, unknown>)[key];
      if (typeof field === 'object' && field !== null && !ArrayBuffer.isView(field)) {
        const nested = (field as { jobId?: unknown }).jobId;
        if (typeof nested === 'string') return nested;
      }
    }
  }
  return actorJobs.get(to) ?? (from === undefined ? undefined : actorJobs.get(from)) ?? JOB_ACTOR.exec(to)?.[1] ?? (from === undefined ? undefined : JOB_ACTOR.exec(from)?.[1]);
}

/**
 * A plain, JSON-friendly copy of `value` within the limits above: long strings cut with their
 * length, arrays to their first items and their length, binary as its size, refs as their path,
 * nesting past SUMMARY_MAX_DEPTH as a count of what is inside.
 */
export function summarizePayload(value: unknown): unknown {
  return new Summarizer().summarize(value, 0);
}

class Summarizer {
  private values = 0;

  summarize(value: unknown, depth: number): unknown {
    this.values++;
    switch (typeof value) {
      case 'string':
        return value.length > SUMMARY_MAX_STRING_CHARS ? `${value.slice(0, SUMMARY_MAX_STRING_CHARS)}… (${value.length} chars)` : value;
      case 'number':
      case 'boolean':
      case 'undefined':
        return value;
      case 'bigint':
        return `${value}n`;
      case 'function':
        return '<function>';
      case 'symbol':
        return value.toString();
      default:
        return value === null ? null : this.object(value as object, depth);
    }
  }

  private object(value: object, depth: number): unknown {
    if (value instanceof BaseRef) return `<ref ${value.path}>`;
    if (ArrayBuffer.isView(value)) return `<${value.byteLength} bytes>`;
    if (value instanceof ArrayBuffer) return `<${value.byteLength} bytes>`;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? '<invalid date>' : value.toISOString();
    if (value instanceof Error) return { name: value.name, message: this.summarize(value.message, SUMMARY_MAX_DEPTH) };
    if (value instanceof Map || value instanceof Set) return `<${value.constructor.name} of ${value.size}>`;
    if (Array.isArray(value)) {
      if (depth >= SUMMARY_MAX_DEPTH || this.values >= SUMMARY_MAX_VALUES) return `<${value.length} item${value.length === 1 ? '' : 's'}>`;
      const shown = Math.min(value.length, SUMMARY_MAX_ITEMS);
      const items: unknown[] = [];
      for (let index = 0; index < shown && this.values < SUMMARY_MAX_VALUES; index++) items.push(this.summarize(value[index], depth + 1));
      if (items.length < value.length) items.push(`… ${value.length - items.length} more`);
      return items;
    }
    if (depth >= SUMMARY_MAX_DEPTH || this.values >= SUMMARY_MAX_VALUES) return '{…}';
    const fields: Record<string, unknown> = {};
    let count = 0;
    // for-in with a bound, not Object.keys: an object of a million keys costs SUMMARY_MAX_FIELDS.
    for (const key in value) {
      if (count >= SUMMARY_MAX_FIELDS || this.values >= SUMMARY_MAX_VALUES) {
        fields['…'] = 'more fields';
        break;
      }
      fields[key] = this.summarize((value as Record<string, unknown>)[key], depth + 1);
      count++;
    }
    return fields;
  }
}
