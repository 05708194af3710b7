// Structured logs: one JSON object per line, with the system and actor path. No console.log in the
// runtime; a spec or an embedding application passes its own sink.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

export type LogFields = Readonly<Record<string, unknown>>;
export type LogSink = (line: string, record: LogFields) => void;

export interface LoggerOptions {
  /** Lowest level written; default WEIR_LOG_LEVEL or 'info'. */
  readonly level?: LogLevel;
  /** Where lines go; default standard error. */
  readonly sink?: LogSink;
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && value in LEVEL_RANK;
}

const defaultSink: LogSink = (line) => {
  process.stderr.write(line + '\n');
};

export class Logger {
  private readonly threshold: number;

  constructor(
    private readonly options: LoggerOptions = {},
    private readonly base: LogFields = {},
  ) {
    const fromEnv = process.env.WEIR_LOG_LEVEL;
    const level = options.level ?? (isLogLevel(fromEnv) ? fromEnv : 'info');
    this.threshold = LEVEL_RANK[level];
  }

  /** A logger that adds `fields` to every record. */
  child(fields: LogFields): Logger {
    return new Logger(this.options, { ...this.base, ...fields });
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
    const record: Record<string, unknown> = { at: new Date().toISOString(), level, msg, ...this.base };
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
