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
    (this.options.sink ?? defaultSink)(JSON.stringify(record), record);
  }
}

function errorFields(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (error.cause instanceof Error) out.cause = errorFields(error.cause);
  return out;
}
