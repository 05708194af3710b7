// The file sink's transactions (FileSink.forRowFormat): each subtask writes its records, one encoded
// line each, to hidden in-progress part files `.<prefix>-<subtask>-<counter><suffix>.inprogress.<uuid>`
// in the sink's directory (the "basePath" layout: no bucket assigner, no subdirectories). A
// transaction is the list of part files written since the last checkpoint: preCommit() flushes,
// fsyncs and closes the open one (rolled ones were when they rolled); commit() renames each to its
// visible name `<prefix>-<subtask>-<counter><suffix>`, atomically on one file system.
//
// Names never repeat: the counter starts past every part file of the subtask already in the
// directory (committed, pending or in progress; a restored job counts the files of its snapshot),
// and the uuid keeps two attempts' in-progress files apart. A commit never replaces a visible file.
// Recovery: a pending part file whose visible file exists and whose hidden one is gone was committed
// already; after recovery the subtask deletes its in-progress files that no snapshot transaction kept.
//
// I/O is synchronous: lines are buffered, FILE_SINK_BUFFER_CHARS at a time go to the page cache in
// one write (microseconds), and the fsync happens in the snapshot, which therefore lies durably on
// disk before the checkpoint is acknowledged (as Flink's task thread blocks in its snapshot).
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { WeirError, describeError } from '../../messages/errors.ts';
import type { RuntimeContext } from '../functions.ts';
import { describePath } from '../sources/path-description.ts';
import type { RollingPolicy } from './rolling-policy.ts';
import { type SinkContext, TwoPhaseCommitSink } from './two-phase-commit-sink.ts';

/** Characters of encoded lines buffered before they are written to the part file. */
export const FILE_SINK_BUFFER_CHARS = 64 * 1024;

/** Turns a record into its line, without the newline. */
export type Encoder<IN> = (record: IN) => string;

/** What FileSink.forRowFormat(...).build() settled on. */
export interface FileSinkSettings<IN> {
  readonly directory: string;
  readonly encoder: Encoder<IN>;
  readonly rollingPolicy: RollingPolicy;
  readonly partPrefix: string;
  readonly partSuffix: string;
}

/** One part file, by its names in the sink's directory. */
export interface PartFile {
  /** Hidden, while written and until committed. */
  readonly inProgress: string;
  /** Visible, once committed. */
  readonly final: string;
}

/** The part files written since the last checkpoint (plain data: it goes into the snapshot). */
export interface PartFileTransaction {
  readonly parts: PartFile[];
}

/** The part file being written, with what the rolling policy sees of it. */
interface OpenPart {
  readonly fd: number;
  readonly file: PartFile;
  sizeBytes: number;
  readonly createdAt: number;
}

export class PartFileWriter<IN> extends TwoPhaseCommitSink<IN, PartFileTransaction> {
  private subtask = 0;
  /** The counter of the next part file. */
  private counter = 0;
  private part: OpenPart | null = null;
  /** Lines of the open part file not yet written. */
  private buffer = '';

  constructor(
    private readonly settings: FileSinkSettings<IN>,
    /** How errors name the sink, e.g. `operator "Sink: File" (id "sink-file-2")`. */
    private readonly operator: string,
  ) {
    super();
  }

  override open(context: RuntimeContext): void {
    this.subtask = context.subtaskIndex;
    const { directory } = this.settings;
    try {
      mkdirSync(directory, { recursive: true });
    } catch (error) {
      throw this.failure(`cannot create the directory ${describePath(directory)}`, error);
    }
    this.counter = this.nextCounter();
  }

  beginTransaction(): PartFileTransaction {
    return { parts: [] };
  }

  invoke(transaction: PartFileTransaction, value: IN, _context: SinkContext): void {
    const line = this.settings.encoder(value) + '\n';
    const part = this.part;
    if (part === null) this.openPart(transaction);
    else {
      const policy = this.settings.rollingPolicy;
      if (policy.shouldRollOnEvent(part) || policy.shouldRollOnProcessingTime(part, Date.now())) {
        this.closePart();
        this.openPart(transaction);
      }
    }
    this.buffer += line;
    (this.part as OpenPart).sizeBytes += Buffer.byteLength(line);
    if (this.buffer.length >= FILE_SINK_BUFFER_CHARS) this.flush();
  }

  /** Flushes, fsyncs and closes the open part file: the transaction's files are complete and durable. */
  preCommit(_transaction: PartFileTransaction): void {
    if (this.part !== null) this.closePart();
  }

  commit(transaction: PartFileTransaction): void {
    for (const part of transaction.parts) this.commitPart(part);
  }

  abort(transaction: PartFileTransaction): void {
    const open = this.part;
    if (open !== null && transaction.parts.some((part) => part.inProgress === open.file.inProgress)) {
      this.part = null;
      this.buffer = '';
      this.io(`cannot close ${open.file.inProgress}`, () => closeSync(open.fd));
    }
    for (const part of transaction.parts) this.remove(part.inProgress);
  }

  /** Idempotent: a part already committed is left alone. */
  override recoverAndCommit(transaction: PartFileTransaction): void {
    this.commit(transaction);
  }

  /** Deletes the open transaction's part files, then every in-progress part file of this subtask left behind (none is in the snapshot any more). */
  override recoverAndAbort(transaction: PartFileTransaction): void {
    this.abort(transaction);
    const pattern = this.partPattern();
    for (const name of this.list()) {
      const match = pattern.exec(name);
      if (match !== null && match[2] !== undefined && name.startsWith('.')) this.remove(name);
    }
  }

  override close(): void {
    const open = this.part;
    this.part = null;
    if (open !== null) closeSync(open.fd);
  }

  private openPart(transaction: PartFileTransaction): void {
    const { partPrefix, partSuffix, directory } = this.settings;
    const final = `${partPrefix}-${this.subtask}-${this.counter}${partSuffix}`;
    const file: PartFile = { inProgress: `.${final}.inprogress.${randomUUID()}`, final };
    const fd = this.io(`cannot create ${file.inProgress}`, () => openSync(join(directory, file.inProgress), 'wx'));
    this.counter++;
    transaction.parts.push(file);
    this.part = { fd, file, sizeBytes: 0, createdAt: Date.now() };
  }

  private closePart(): void {
    const part = this.part as OpenPart;
    this.flush();
    this.part = null;
    this.io(`cannot sync ${part.file.inProgress}`, () => {
      try {
        fsyncSync(part.fd);
      } finally {
        closeSync(part.fd);
      }
    });
  }

  private flush(): void {
    const part = this.part;
    if (part === null || this.buffer === '') return;
    const data = Buffer.from(this.buffer);
    this.buffer = '';
    this.io(`cannot write ${part.file.inProgress}`, () => {
      for (let offset = 0; offset < data.length; ) offset += writeSync(part.fd, data, offset, data.length - offset);
    });
  }

  private commitPart(part: PartFile): void {
    const { directory } = this.settings;
    const from = join(directory, part.inProgress);
    const to = join(directory, part.final);
    if (existsSync(to)) {
      if (!existsSync(from)) return;
      throw this.error(`cannot commit ${part.inProgress}: ${part.final} exists already`, undefined);
    }
    try {
      renameSync(from, to);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw this.error(missing ? `cannot commit ${part.inProgress}: it is missing, and ${part.final} does not exist` : `cannot commit ${part.inProgress}`, missing ? undefined : error);
    }
  }

  /** One past the highest counter of this subtask's part files in the directory, committed or not. */
  private nextCounter(): number {
    const pattern = this.partPattern();
    let next = 0;
    for (const name of this.list()) {
      const match = pattern.exec(name);
      if (match !== null) next = Math.max(next, Number(match[1]) + 1);
    }
    return next;
  }

  /** `<prefix>-<subtask>-<counter><suffix>`, or hidden and in progress (group 2). */
  private partPattern(): RegExp {
    const { partPrefix, partSuffix } = this.settings;
    return new RegExp(`^\\.?${escapeRegExp(partPrefix)}-${this.subtask}-(\\d+)${escapeRegExp(partSuffix)}(\\.inprogress\\..+)?$`);
  }

  private list(): string[] {
    return this.io(`cannot list ${this.settings.directory}`, () => readdirSync(this.settings.directory));
  }

  private remove(name: string): void {
    this.io(`cannot delete ${name}`, () => rmSync(join(this.settings.directory, name), { force: true }));
  }

  private io<R>(what: string, operation: () => R): R {
    try {
      return operation();
    } catch (error) {
      throw this.error(what, error);
    }
  }

  /** A failure with a file of the sink's directory, named with the absolute path and the process that tried. */
  private error(what: string, cause: unknown): WeirError {
    return this.failure(`${what} in ${describePath(this.settings.directory)}`, cause);
  }

  private failure(what: string, cause: unknown): WeirError {
    const detail = cause === undefined ? '' : `: ${describeError(cause)}`;
    return new WeirError('SINK_WRITE_FAILED', `${this.operator}: ${what}${detail}`, { cause });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
