// The typed arguments of each command, made from what commander parsed (program.ts) and checked
// here: every mistake is a UsageError, one line naming the command and the offending argument.
import { type HostPort, parseHostPort } from '../../api/client/index.ts';
import { closestMatch } from '../../cluster/config/did-you-mean.ts';
import { type JobId, jobId } from '../../messages/ids.ts';
import { MAX_TRACE_FILTER_CHARS } from '../../messages/remoting.ts';
import { UsageError } from './errors.ts';

export interface ConnectArgs {
  /** -m host:port; undefined: jobmanager.rpc.address:port from the configuration. */
  readonly jobManager?: HostPort;
}

export interface RunArgs extends ConnectArgs {
  readonly modulePath: string;
  /** -p; undefined: parallelism.default of the configuration. */
  readonly parallelism?: number;
  readonly detached: boolean;
  /** --no-typecheck: submit a TypeScript module without running tsc over it first. */
  readonly typecheck: boolean;
  /** -s: the savepoint (or retained checkpoint directory) the job starts from. */
  readonly fromSavepoint?: string;
  readonly allowNonRestoredState: boolean;
  /** Handed to the job module: the arguments after it that are not run's options, then all after `--`. */
  readonly jobArgs: readonly string[];
}

/** Flink's list groups: scheduled (CREATED, INITIALIZING), running (not ended), terminated. */
export type JobGroup = 'running' | 'scheduled' | 'terminated';

export interface ListArgs extends ConnectArgs {
  readonly show: ReadonlySet<JobGroup>;
}

export interface JobArgs extends ConnectArgs {
  readonly jobId: JobId;
}

/** What commander hands an action: option values by their camel-case name. */
export type ParsedOptions = Readonly<Record<string, unknown>>;

/**
 * `implicitArgs` are what followed the module before `--` and was not one of run's options (see
 * program.ts), `explicitArgs` what followed `--`. An implicit argument that looks like a mistyped
 * option of run's is refused rather than handed to the job (where it could, say, become an output
 * folder named "--paralelism"); after `--` anything goes.
 */
export function runArgs(modulePath: string, implicitArgs: readonly string[], explicitArgs: readonly string[], options: ParsedOptions, runFlags: readonly string[]): RunArgs {
  // commander takes an unknown option before the module for the module: `weir run --paralelism 2 job.ts`.
  if (modulePath.startsWith('-') && modulePath !== '-') throw unknownOption('weir run', modulePath, runFlags);
  for (const arg of implicitArgs) {
    const flag = arg.split('=')[0];
    if (!/^--[^-]/.test(flag)) continue;
    const meant = nearFlag(flag, runFlags);
    if (meant !== undefined) {
      throw new UsageError(`weir run: unknown option "${flag}" (did you mean ${meant}?); a job argument that looks like it goes after --`);
    }
  }
  const parallelism = options.parallelism === undefined ? {} : { parallelism: positiveInteger('run', '-p', options.parallelism) };
  const fromSavepoint = typeof options.fromSavepoint === 'string' ? { fromSavepoint: options.fromSavepoint } : {};
  return {
    modulePath,
    detached: options.detached === true,
    typecheck: options.typecheck !== false,
    allowNonRestoredState: options.allowNonRestoredState === true,
    jobArgs: [...implicitArgs, ...explicitArgs],
    ...parallelism,
    ...fromSavepoint,
    ...jobManagerOf('run', options.jobmanager),
  };
}

/** No flag: running and scheduled jobs, as Flink's list; -r, -s and -a pick. */
export function listArgs(options: ParsedOptions): ListArgs {
  const picked = new Set<JobGroup>();
  if (options.running === true) picked.add('running');
  if (options.scheduled === true) picked.add('scheduled');
  const show: ReadonlySet<JobGroup> =
    options.all === true ? new Set(['running', 'scheduled', 'terminated']) : picked.size > 0 ? picked : new Set(['running', 'scheduled']);
  return { show, ...jobManagerOf('list', options.jobmanager) };
}

/** info, cancel, stop and savepoint: one job id. */
export function jobArgs(command: string, id: string | undefined, options: ParsedOptions): JobArgs {
  if (id === undefined || id.trim() === '') throw new UsageError(`weir ${command}: missing the job id; usage: weir ${command} [options] <jobId>`);
  return { jobId: jobId(id.trim()), ...jobManagerOf(command, options.jobmanager) };
}

/** weir info's argument names a checkpoint or savepoint rather than a job: a path (job ids hold no /). */
export function isCheckpointPath(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || arg === '.' || arg === '..';
}

export interface TraceArgs extends ConnectArgs {
  /** --job, --actor, --type: what the traced sides let through. */
  readonly job?: string;
  readonly actor?: string;
  readonly type?: string;
  /** --json: one JSON object per line instead of a line for a person. */
  readonly json: boolean;
}

/** weir trace: the filters as given (globs are checked where they run: each must be 256 characters at most). */
export function traceArgs(options: ParsedOptions): TraceArgs {
  const text = (flag: string, value: unknown): string | undefined => {
    if (typeof value !== 'string') return undefined;
    if (value.length > MAX_TRACE_FILTER_CHARS) throw new UsageError(`weir trace: ${flag} has ${value.length} characters, over ${MAX_TRACE_FILTER_CHARS}`);
    return value;
  };
  const job = text('--job', options.job);
  const actor = text('--actor', options.actor);
  const type = text('--type', options.type);
  return {
    json: options.json === true,
    ...(job !== undefined ? { job } : {}),
    ...(actor !== undefined ? { actor } : {}),
    ...(type !== undefined ? { type } : {}),
    ...jobManagerOf('trace', options.jobmanager),
  };
}

/** An unknown option of `command` ("weir run"), with the closest of `flags` when one is close. */
export function unknownOption(command: string, option: string, flags: readonly string[]): UsageError {
  const meant = option.startsWith('--') ? nearFlag(option.split('=')[0], flags) : undefined;
  return new UsageError(`${command}: unknown option "${option}"${meant === undefined ? '' : ` (did you mean ${meant}?)`}`);
}

/** A long flag of `flags` that `flag` is a typo of, or an abbreviation of five letters or more. */
function nearFlag(flag: string, flags: readonly string[]): string | undefined {
  const longFlags = flags.filter((candidate) => candidate.startsWith('--'));
  const abbreviated = flag.length >= 7 ? longFlags.find((candidate) => candidate.toLowerCase().startsWith(flag.toLowerCase())) : undefined;
  return abbreviated ?? closestMatch(flag, longFlags);
}

function positiveInteger(command: string, flag: string, value: unknown): number {
  const text = String(value);
  const number = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(number) || number < 1) throw new UsageError(`weir ${command}: ${flag} expects an integer >= 1, got "${text}"`);
  return number;
}

function jobManagerOf(command: string, text: unknown): ConnectArgs {
  if (typeof text !== 'string') return {};
  try {
    return { jobManager: parseHostPort(text) };
  } catch (error) {
    throw new UsageError(`weir ${command}: -m ${(error as Error).message}`);
  }
}
