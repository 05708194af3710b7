// Actor systems for specs: log records collected in memory (so specs can assert on them and stderr
// stays quiet), an optional ManualScheduler, and termination registered as the test's teardown.
import type { ExecutionContext } from 'ava';
import { ActorSystem, type ActorSystemOptions, type LogLevel, type LogSink } from '../../actors/index.ts';
import { ManualScheduler } from './manual-scheduler.ts';

/** One structured log record, as the Logger hands it to its sink. */
export type LogRecord = Parameters<LogSink>[1];

/** Log records of one system, in the order they were written. */
export class LogCollector {
  readonly records: LogRecord[] = [];
  readonly sink: LogSink = (_line, record) => {
    this.records.push(record);
  };

  /** Records whose `msg` contains `text` (and whose level is `level`, when given). */
  matching(text: string, level?: LogLevel): LogRecord[] {
    return this.records.filter((record) => String(record.msg).includes(text) && (level === undefined || record.level === level));
  }
}

export interface TestSystemOptions extends Partial<Omit<ActorSystemOptions, 'log' | 'scheduler'>> {
  /** Lowest level collected; default 'debug'. */
  readonly logLevel?: LogLevel;
}

export interface TestSystem {
  readonly system: ActorSystem;
  readonly logs: LogCollector;
}

export interface ManualTestSystem extends TestSystem {
  readonly scheduler: ManualScheduler;
}

/** A local system named 'test' on the real clock, terminated when the test ends. */
export async function createTestSystem(t: ExecutionContext, options: TestSystemOptions = {}): Promise<TestSystem> {
  return create(t, options, undefined);
}

/** As createTestSystem, with a ManualScheduler: time moves only by scheduler.advance(ms). */
export async function createManualTestSystem(t: ExecutionContext, options: TestSystemOptions = {}): Promise<ManualTestSystem> {
  const scheduler = new ManualScheduler();
  const created = await create(t, options, scheduler);
  return { ...created, scheduler };
}

async function create(t: ExecutionContext, options: TestSystemOptions, scheduler: ManualScheduler | undefined): Promise<TestSystem> {
  const { logLevel = 'debug', ...rest } = options;
  const logs = new LogCollector();
  const system = await ActorSystem.create({ name: 'test', ...rest, scheduler, log: { level: logLevel, sink: logs.sink } });
  t.teardown(() => system.terminate());
  return { system, logs };
}

/**
 * Lets the dispatcher finish the work already queued. It hands off in microtasks and yields to the
 * event loop only after DEFAULT_YIELD_AFTER_MS of continuous work, so a few macrotask turns drain
 * any spec-sized workload; specs on a ManualScheduler use this instead of sleeping.
 */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
