// Structured logs: one JSON object per line, with the system and actor path. No console.log in the
// runtime; a spec or an embedding application passes its own sink.
//
// Floods: warnings and errors that carry a `code` are rate-limited per (level, code, peer): at most
// LINES_PER_WINDOW of them per LOG_WINDOW_MS; the first line after a window that dropped some says
// how many (`suppressed`). A peer sending garbage cannot fill the disk. A write that fails (a full
// disk: ENOSPC on the default sink's stderr) drops the line and counts it; the process lives.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

export type LogFields = Readonly<Record<string, unknown>>;
export type LogSink = (line: string, record: LogFields) => void;

export interface LoggerOptions {
  /** Lowest level written; default WEIR_LOG_LEVEL or 'info'. */
  readonly level?: LogLevel;
  /** Where lines go; default standard error. */
  readonly sink?: LogSink;
  /** Milliseconds now, for the rate limit (specs); Date.now by default. */
  readonly clock?: () => number;
}

/** The rate limit's window, and the coded warnings or errors of one (level, code, peer) written per window. */
export const LOG_WINDOW_MS = 1_000;
export const LINES_PER_WINDOW = 20;

/** How many of one kind of line were written and dropped in the current window. Shared by a logger and its children. */
class RateLimit {
  private readonly windows = new Map<string, { start: number; written: number; suppressed: number }>();

  constructor(private readonly clock: () => number) {}

  /** undefined: drop the line; otherwise how many were suppressed before it (0: none). */
  admit(key: string): number | undefined {
    const now = this.clock();
    let window = this.windows.get(key);
    if (window === undefined || now - window.start >= LOG_WINDOW_MS) {
      const suppressed = window?.suppressed ?? 0;
      // A bounded map: kinds of lines that went quiet are forgotten with their window.
      if (this.windows.size > 1_000) this.windows.clear();
      window = { start: now, written: 0, suppressed: 0 };
      this.windows.set(key, window);
      window.written++;
      return suppressed;
    }
    if (window.written >= LINES_PER_WINDOW) {
      window.suppressed++;
      return undefined;
    }
    window.written++;
    return 0;
  }
}

/** Lines the default sink could not write (stderr failed: a full disk, a closed pipe); they are dropped. */
export let droppedLogLines = 0;
let stderrGuarded = false;

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && value in LEVEL_RANK;
}

const defaultSink: LogSink = (line) => {
  if (!stderrGuarded) {
    stderrGuarded = true;
    // Without a listener a failed write (ENOSPC, EPIPE) is thrown from the stream: the process would die of its log.
    process.stderr.on('error', () => void droppedLogLines++);
  }
  try {
    process.stderr.write(line + '\n');
  } catch {
    droppedLogLines++;
  }
};

export class Logger {
  private readonly threshold: number;
  private readonly limit: RateLimit;

  constructor(
    private readonly options: LoggerOptions = {},
    private readonly base: LogFields = {},
    limit?: RateLimit,
  ) {
    const fromEnv = process.env.WEIR_LOG_LEVEL;
    const level = options.level ?? (isLogLevel(fromEnv) ? fromEnv : 'info');
    this.threshold = LEVEL_RANK[level];
    this.limit = limit ?? new RateLimit(options.clock ?? Date.now);
  }

  /** A logger that adds `fields` to every record (and shares this one's rate limit). */
  child(fields: LogFields): Logger {
    return new Logger(this.options, { ...this.base, ...fields }, this.limit);
  }

  isEnabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= this.threshold;
  }

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }

  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }

  private write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (LEVEL_RANK[level] < this.threshold) return;
    let suppressed = 0;
    const code = fields?.code;
    if (code !== undefined && (level === 'warn' || level === 'error')) {
      const admitted = this.limit.admit(`${level} ${String(code)} ${String(fields?.peer ?? this.base.peer ?? '')}`);
      if (admitted === undefined) return;
      suppressed = admitted;
    }
    const record: Record<string, unknown> = { at: new Date().toISOString(), level, msg, ...this.base };
    if (suppressed > 0) record.suppressed = suppressed;
    if (fields) {
      for (const [key, value] of Object.entries(fields)) record[key] = value instanceof Error ? errorFields(value) : value;
    }
    (this.options.sink ?? defaultSink)(serialize(record), record);
  }
}

/** Causes followed when logging an error: a cause chain may loop. */
const MAX_CAUSE_DEPTH = 8;

function errorFields(error: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (error.cause instanceof Error && depth < MAX_CAUSE_DEPTH) out.cause = errorFields(error.cause, depth + 1);
  return out;
}

/** JSON of a record; a field that is circular or holds a BigInt (a thrown value, a message) must not make logging throw. */
function serialize(record: Record<string, unknown>): string {
  try {
    return JSON.stringify(record);
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(record, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'object' && value !== null) {
        if (seen.has(value)) return '[Circular]';
        seen.add(value);
      }
      return value;
    });
  }
}
