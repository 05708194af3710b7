// The exactly-once file sink (Flink's FileSink, row format):
//
//   stream.sinkTo(FileSink.forRowFormat('/out', (r) => JSON.stringify(r))
//     .withRollingPolicy(DefaultRollingPolicy.builder().withMaxPartSize(1 << 20).build())
//     .withOutputFileConfig({ partPrefix: 'totals', partSuffix: '.jsonl' })
//     .build());
//
// Each subtask writes hidden in-progress part files and makes them visible (`totals-<subtask>-<n>.jsonl`)
// when the checkpoint that pre-committed them completes, or at the end of a bounded input: readers of
// the directory see whole part files with every record exactly once, and never a file being written.
// Without checkpointing, nothing is visible before the input ends. All part files go to the directory
// itself (Flink's default DateTimeBucketAssigner is not there: no bucket subdirectories).
// How the files are written and committed: part-file-writer.ts; the transactions: two-phase-commit-operator.ts.
import { WeirError } from '../../messages/errors.ts';
import { formatRecord } from './format.ts';
import type { Encoder, FileSinkSettings } from './part-file-writer.ts';
import { DefaultRollingPolicy, type RollingPolicy } from './rolling-policy.ts';

/** How part files are named: `<partPrefix>-<subtask>-<counter><partSuffix>` (Flink's OutputFileConfig). */
export interface OutputFileConfig {
  /** Default 'part'. */
  readonly partPrefix?: string;
  /** Default '' (e.g. '.jsonl'). */
  readonly partSuffix?: string;
}

/** Marks a FileSink across copies of the API (a job bundle carries its own; the environment is the runtime's). */
const FILE_SINK_BRAND = Symbol.for('weir.FileSink');

export class FileSink<IN> {
  readonly [FILE_SINK_BRAND] = true;

  /** Use FileSink.forRowFormat(...).build(). */
  constructor(readonly settings: FileSinkSettings<IN>) {}

  /**
   * Records as lines: `encoder` turns each into its line (without the newline); by default a string
   * is written as it is, anything else as JSON.
   */
  static forRowFormat<IN>(directory: string, encoder: Encoder<IN> = formatRecord): RowFormatBuilder<IN> {
    return new RowFormatBuilder<IN>(directory, encoder);
  }
}

export class RowFormatBuilder<IN> {
  private rollingPolicy: RollingPolicy = new DefaultRollingPolicy();
  private partPrefix = 'part';
  private partSuffix = '';

  constructor(
    private readonly directory: string,
    private readonly encoder: Encoder<IN>,
  ) {
    if (typeof directory !== 'string' || directory === '') throw new WeirError('INVALID_ARGUMENT', `FileSink.forRowFormat() needs a directory path, got ${String(directory)}`);
    if (typeof encoder !== 'function') throw new WeirError('INVALID_ARGUMENT', `FileSink.forRowFormat() needs an encoder function, got ${encoder === null ? 'null' : typeof encoder}`);
  }

  /** When a part file rolls besides at checkpoints (default: DefaultRollingPolicy, 128 MiB or 60 s). */
  withRollingPolicy(policy: RollingPolicy): this {
    if (typeof policy?.shouldRollOnEvent !== 'function' || typeof policy.shouldRollOnProcessingTime !== 'function') {
      throw new WeirError('INVALID_ARGUMENT', `withRollingPolicy() needs a RollingPolicy (shouldRollOnEvent and shouldRollOnProcessingTime), got ${policy === null ? 'null' : typeof policy}`);
    }
    this.rollingPolicy = policy;
    return this;
  }

  withOutputFileConfig(config: OutputFileConfig): this {
    const { partPrefix = 'part', partSuffix = '' } = config ?? {};
    if (typeof partPrefix !== 'string' || partPrefix === '' || /[/\\]/.test(partPrefix)) {
      throw new WeirError('INVALID_ARGUMENT', `withOutputFileConfig() needs a partPrefix without path separators, got ${JSON.stringify(partPrefix)}`);
    }
    if (typeof partSuffix !== 'string' || /[/\\]/.test(partSuffix)) {
      throw new WeirError('INVALID_ARGUMENT', `withOutputFileConfig() needs a partSuffix without path separators, got ${JSON.stringify(partSuffix)}`);
    }
    this.partPrefix = partPrefix;
    this.partSuffix = partSuffix;
    return this;
  }

  build(): FileSink<IN> {
    const { directory, encoder, rollingPolicy, partPrefix, partSuffix } = this;
    return new FileSink<IN>({ directory, encoder, rollingPolicy, partPrefix, partSuffix });
  }
}

/** A FileSink from any copy of the API: by its brand, not instanceof. */
export function isFileSink(sink: unknown): sink is FileSink<unknown> {
  return typeof sink === 'object' && sink !== null && (sink as { [FILE_SINK_BRAND]?: unknown })[FILE_SINK_BRAND] === true;
}
