// Structure-aware mutations of a valid message, deterministic for a seed: each field removed, each
// field given a value of another type, each id made invalid, each number made negative. Fields are
// walked into nested objects and the first element of arrays; actor refs are leaves.

export interface Mutation {
  /** What was done, for failure messages: `SubmitJob.jobGraph.vertices[0].parallelism: "x"`. */
  readonly label: string;
  readonly message: unknown;
}

/** Deep enough for SubmitJob.jobGraph.vertices[0].operators[0].config.n. */
const MAX_DEPTH = 7;

/** Values of every msgpack-able kind; a field gets one whose kind differs from its own. */
const WRONG_TYPES: readonly unknown[] = [42, -1.5, true, null, 'x', [], {}, [1, 'a'], { nested: { deeper: 1 } }];
/** Ids that are not safe as actor or file names. */
const BAD_IDS: readonly string[] = ['a/b', '..', '', 'x'.repeat(129), 'job id', '.hidden'];

/** mulberry32: a small seeded PRNG, so a run is the same every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const isRef = (value: unknown): boolean => typeof value === 'object' && value !== null && typeof (value as { tell?: unknown }).tell === 'function';
const isIdField = (key: string): boolean => /Id$/.test(key) || key === 'bundleHash';

type Step = string | number;

/** A copy of `root` with the value at `path` replaced (or removed when `remove`); the rest is shared. */
function withChange(root: unknown, path: readonly Step[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const [step, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[step as number] = withChange(root[step as number], rest, value, remove);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(root as Record<string, unknown>) };
  if (rest.length === 0 && remove) delete copy[step as string];
  else copy[step as string] = withChange((root as Record<string, unknown>)[step as string], rest, value, remove);
  return copy;
}

function label(tag: string, path: readonly Step[]): string {
  return tag + path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
}

/** Every mutation of `message` (whose `type` is `tag`), in a fixed order for a given seed. */
export function mutationsOf(tag: string, message: Readonly<Record<string, unknown>>, random: () => number): Mutation[] {
  const out: Mutation[] = [];
  const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const visit = (value: unknown, path: Step[], key: Step | undefined): void => {
    const at = label(tag, path);
    if (path.length > 0) {
      if (typeof key === 'string') out.push({ label: `${at} removed`, message: withChange(message, path, undefined, true) });
      const wrong = pick(WRONG_TYPES.filter((candidate) => kindOf(candidate) !== kindOf(value)));
      out.push({ label: `${at}: ${JSON.stringify(wrong)}`, message: withChange(message, path, wrong, false) });
      if (typeof value === 'string' && typeof key === 'string' && isIdField(key)) {
        const bad = pick(BAD_IDS);
        out.push({ label: `${at}: bad id ${JSON.stringify(bad)}`, message: withChange(message, path, bad, false) });
      }
      if (typeof value === 'number') out.push({ label: `${at}: -1`, message: withChange(message, path, -1, false) });
    }
    if (path.length >= MAX_DEPTH || isRef(value) || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      if (value.length > 0) visit(value[0], [...path, 0], 0);
      return;
    }
    for (const [field, inner] of Object.entries(value)) visit(inner, [...path, field], field);
  };
  visit(message, [], undefined);
  return out;
}
