// What a trace subscriber asks to see, checked on the traced side before anything is buffered or
// sent: a job id, an actor path glob and a message type glob (and the older exact types / path text).
//
// Globs: `*` matches within one path segment, `**` across segments, `?` one character; a type glob's
// `*` matches anything (types have no segments), and `A,B` means either. They are matched by a small
// NFA walk, linear in the path times the glob: a hostile glob cannot make the traced side backtrack.
import { WeirError } from '../messages/errors.ts';
import { MAX_TRACE_FILTER_CHARS } from '../messages/remoting.ts';

export { MAX_TRACE_FILTER_CHARS };
import type { TraceEvent } from './trace.ts';

export interface TraceFilter {
  /** Only these message types (exact). */
  readonly types?: readonly string[];
  /** Only events whose sender or recipient path contains this text. */
  readonly path?: string;
  /** Only messages about this job (see jobIdOf). */
  readonly job?: string;
  /** Only events whose sender or recipient path matches this glob (see actorGlob). */
  readonly actor?: string;
  /** Only message types matching this glob, e.g. `Submit*` or `SubmitJob,RegisterTaskManager`. */
  readonly type?: string;
}


/** A filter made ready to run against every traced message; `jobId` resolves the job only when asked. */
export type TraceMatcher = (event: TraceEvent, jobId: () => string | undefined) => boolean;

const ANY = (): boolean => true;

/** Compiles `filter`; throws INVALID_ARGUMENT naming a field that is too long. */
export function compileTraceFilter(filter: TraceFilter | undefined): TraceMatcher {
  if (!filter) return ANY;
  const { types, path, job, actor, type } = filter;
  for (const [name, value] of [['job', job], ['actor', actor], ['type', type], ['path', path]] as const) {
    if (value !== undefined && value.length > MAX_TRACE_FILTER_CHARS) {
      throw new WeirError('INVALID_ARGUMENT', `the trace filter's ${name} has ${value.length} characters, over ${MAX_TRACE_FILTER_CHARS}`);
    }
  }
  const typeSet = types && types.length > 0 ? new Set(types) : undefined;
  const typeGlob = type !== undefined && type !== '' ? typeMatcher(type) : undefined;
  const actorGlob = actor !== undefined && actor !== '' ? actorMatcher(actor) : undefined;
  const pathText = path !== undefined && path !== '' ? path : undefined;
  const jobId = job !== undefined && job !== '' ? job : undefined;
  if (!typeSet && !typeGlob && !actorGlob && !pathText && !jobId) return ANY;
  return (event, jobOf) => {
    if (typeSet && !typeSet.has(event.type)) return false;
    if (typeGlob && !typeGlob(event.type)) return false;
    if (pathText && !event.to.includes(pathText) && !(event.from ?? '').includes(pathText)) return false;
    if (actorGlob && !actorGlob(event.to) && !(event.from !== undefined && actorGlob(event.from))) return false;
    if (jobId && jobOf() !== jobId) return false;
    return true;
  };
}

/** The older check, for one event: true when it passes `filter` (a job filter needs the message: use compileTraceFilter). */
export function matchesTraceFilter(event: TraceEvent, filter: TraceFilter | undefined): boolean {
  return compileTraceFilter(filter)(event, () => event.jobId);
}

/**
 * An actor path glob. One starting with `weir:` is matched against the whole path; one starting
 * with `/` against the local path (`/user/dispatcher`); any other against the local path's end
 * (`dispatcher`, `task-*`), as if it started with `** /`.
 */
export function actorMatcher(glob: string): (path: string) => boolean {
  if (glob.startsWith('weir:')) {
    const whole = compileGlob(glob, false);
    return (path) => whole(path);
  }
  const local = compileGlob(glob.startsWith('/') ? glob : `**/${glob}`, false);
  return (path) => local(localPathOf(path));
}

/** A message type glob; `,` separates alternatives. */
export function typeMatcher(glob: string): (type: string) => boolean {
  const alternatives = glob
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => compileGlob(part, true));
  return (type) => alternatives.some((matches) => matches(type));
}

/** "/user/a" of "weir://sys@host:port/user/a" (the path itself when it has no address). */
function localPathOf(path: string): string {
  if (!path.startsWith('weir://')) return path;
  const slash = path.indexOf('/', 7);
  return slash < 0 ? '' : path.slice(slash);
}

type Token = { readonly star: 'segment' | 'any' } | { readonly char: string } | { readonly one: true };

/** `*`, `**`, `?` and literal characters; with `flat`, `*` crosses `/` too. */
function compileGlob(glob: string, flat: boolean): (text: string) => boolean {
  // The common shapes skip the NFA: `Name`, `Prefix*`, `*Suffix`, `*Part*` (a type, or `**` in a path).
  const star = flat ? '*' : '**';
  const inner = glob.startsWith(star) ? glob.slice(star.length) : glob;
  const core = inner.endsWith(star) ? inner.slice(0, -star.length) : inner;
  if (!/[*?]/.test(core)) {
    const [leading, trailing] = [inner !== glob, core !== inner];
    if (leading && trailing) return (text) => text.includes(core);
    if (leading) return (text) => text.endsWith(core);
    if (trailing) return (text) => text.startsWith(core);
    return (text) => text === core;
  }
  const tokens: Token[] = [];
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (char === '*') {
      const double = glob[index + 1] === '*';
      if (double) index++;
      tokens.push({ star: double || flat ? 'any' : 'segment' });
    } else if (char === '?') tokens.push({ one: true });
    else tokens.push({ char });
  }
  const size = tokens.length + 1;
  // Reused across calls: the walk is synchronous and never re-entered.
  let current = new Uint8Array(size);
  let next = new Uint8Array(size);
  const close = (states: Uint8Array): void => {
    for (let state = 0; state < tokens.length; state++) if (states[state] && 'star' in tokens[state]) states[state + 1] = 1;
  };
  return (text) => {
    current.fill(0);
    current[0] = 1;
    close(current);
    for (let index = 0; index < text.length; index++) {
      const char = text[index];
      next.fill(0);
      let alive = false;
      for (let state = 0; state < tokens.length; state++) {
        if (!current[state]) continue;
        const token = tokens[state];
        let target = -1;
        if ('star' in token) {
          if (token.star === 'any' || char !== '/') target = state;
        } else if ('one' in token) {
          if (char !== '/') target = state + 1;
        } else if (token.char === char) target = state + 1;
        if (target >= 0) {
          next[target] = 1;
          alive = true;
        }
      }
      if (!alive) return false;
      close(next);
      [current, next] = [next, current];
    }
    return current[tokens.length] === 1;
  };
}
