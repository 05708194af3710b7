// The CLI's arguments, parsed with node:util parseArgs per command. Every mistake is a UsageError:
// one line naming the command and the offending argument, exit code 2.
import { parseArgs } from 'node:util';
import { type HostPort, parseHostPort } from '../../api/client/index.ts';
import { WeirError } from '../../messages/errors.ts';
import { type JobId, jobId } from '../../messages/ids.ts';

export class UsageError extends WeirError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
    this.name = 'UsageError';
  }
}

export interface ConnectArgs {
  /** -m host:port; undefined: jobmanager.rpc.address:port from the configuration. */
  readonly jobManager?: HostPort;
}

export interface RunArgs extends ConnectArgs {
  readonly modulePath: string;
  readonly parallelism?: number;
  readonly detached: boolean;
  /** --no-typecheck: submit a TypeScript module without running tsc over it first. */
  readonly typecheck: boolean;
  /** Everything after `--`, handed to the job module. */
  readonly jobArgs: readonly string[];
}

export interface JobArgs extends ConnectArgs {
  readonly jobId: JobId;
}

const JOBMANAGER_OPTION = { jobmanager: { type: 'string', short: 'm' } } as const;

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const separator = argv.indexOf('--');
  const own = separator < 0 ? argv : argv.slice(0, separator);
  const jobArgs = separator < 0 ? [] : argv.slice(separator + 1);
  const { values, positionals } = parse('run', own, {
    ...JOBMANAGER_OPTION,
    parallelism: { type: 'string', short: 'p' },
    detached: { type: 'boolean', short: 'd' },
    'no-typecheck': { type: 'boolean' },
  });
  const [modulePath, ...extra] = positionals;
  if (modulePath === undefined) throw new UsageError('weir run: missing the job module (weir run <job-module> [-p N] [-d] [-m host:port] [--no-typecheck] [-- job args])');
  if (extra.length > 0) throw new UsageError(`weir run: unexpected argument "${extra[0]}"; pass job arguments after --`);
  return {
    modulePath,
    detached: values.detached === true,
    typecheck: values['no-typecheck'] !== true,
    jobArgs,
    ...(typeof values.parallelism === 'string' ? { parallelism: parseParallelism(values.parallelism) } : {}),
    ...jobManagerOf('run', values.jobmanager),
  };
}

export function parseListArgs(argv: readonly string[]): ConnectArgs {
  const { values, positionals } = parse('list', argv, JOBMANAGER_OPTION);
  if (positionals.length > 0) throw new UsageError(`weir list: unexpected argument "${positionals[0]}"`);
  return jobManagerOf('list', values.jobmanager);
}

/** info and cancel: one job id. */
export function parseJobArgs(command: 'info' | 'cancel', argv: readonly string[]): JobArgs {
  const { values, positionals } = parse(command, argv, JOBMANAGER_OPTION);
  const [id, ...extra] = positionals;
  if (id === undefined || id.trim() === '') throw new UsageError(`weir ${command}: missing the job id (weir ${command} <jobId> [-m host:port])`);
  if (extra.length > 0) throw new UsageError(`weir ${command}: unexpected argument "${extra[0]}"`);
  return { jobId: jobId(id.trim()), ...jobManagerOf(command, values.jobmanager) };
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<O extends Options>(command: string, argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`weir ${command}: unknown option "${option}"`);
    }
    throw new UsageError(`weir ${command}: ${message.replace(/\.$/, '')}`);
  }
}

function parseParallelism(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`weir run: -p expects an integer >= 1, got "${text}"`);
  }
  return value;
}

function jobManagerOf(command: string, text: string | boolean | undefined): ConnectArgs {
  if (typeof text !== 'string') return {};
  try {
    return { jobManager: parseHostPort(text) };
  } catch (error) {
    throw new UsageError(`weir ${command}: -m ${(error as Error).message}`);
  }
}
