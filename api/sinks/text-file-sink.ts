// writeAsText(directory): each subtask writes its records to `<directory>/part-<subtaskIndex>`, one
// line per record (writeAsJsonLines too, with its PartFileFormat: see json-lines-sink.ts). Lines are buffered and written once per step, one write in flight at a time, so a
// step never waits for the disk unless the buffer outgrows TEXT_SINK_MAX_BUFFERED_CHARS.
//
// Lifecycle: open() creates the directory and truncates the part file (subtask 0 also removes the
// part files of an earlier run at a higher parallelism); endInput() and close() write
// what is buffered; close() closes the file, and removes it when the input did not end and nothing
// was written (a failed or cancelled job leaves no empty part files; a finished one may, as Flink's).
// A failed write fails the next step, naming the sink, the absolute path and the process that tried
// it (a relative path is the TaskManager's).
import { type FileHandle, mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WeirError, describeError } from '../../messages/errors.ts';
import { ChainOperator, type OperatorRuntime, describeOperator } from '../runtime/chain.ts';
import { describePath } from '../sources/path-description.ts';
import { formatRecord } from './format.ts';

export const TEXT_FILE_SINK_KIND = 'sink-text-file';

/** Buffered characters beyond which a step waits for the write in flight (backpressure). */
export const TEXT_SINK_MAX_BUFFERED_CHARS = 1 << 20;

/** How a part file is named (`part-<subtaskIndex><suffix>`) and how a record becomes its line. */
export interface PartFileFormat {
  readonly suffix: string;
  /** The line of a record, without the newline. */
  format(value: unknown): string;
}

export const TEXT_PART_FILE: PartFileFormat = { suffix: '', format: formatRecord };

export class TextFileSink<T> extends ChainOperator<T> {
  readonly path: string;
  /** Lines not yet handed to a write. */
  private pending = '';
  private handle: FileHandle | undefined;
  /** The write in flight; it never rejects (a failure lands in `failure`). */
  private writing: Promise<void> | null = null;
  private failure: WeirError | null = null;
  /** endInput() ran: the file is this run's output, even when empty. */
  private inputEnded = false;
  /** A write started: the file holds (some of) this run's records. */
  private wroteAny = false;
  private readonly subtaskIndex: number;
  private readonly parallelism: number;

  constructor(
    runtime: OperatorRuntime,
    private readonly directory: string,
    private readonly partFile: PartFileFormat = TEXT_PART_FILE,
  ) {
    super(runtime);
    this.path = join(directory, `part-${runtime.subtask.subtaskIndex}${partFile.suffix}`);
    this.subtaskIndex = runtime.subtask.subtaskIndex;
    this.parallelism = runtime.subtask.parallelism;
  }

  override async open(): Promise<void> {
    try {
      await mkdir(this.directory, { recursive: true });
    } catch (error) {
      throw this.writeError(`cannot create the directory ${describePath(this.directory)}`, error);
    }
    try {
      this.handle = await open(this.path, 'w');
      if (this.subtaskIndex === 0) await this.removeStaleParts();
    } catch (error) {
      throw this.writeError(`cannot open ${describePath(this.path)}`, error);
    }
  }

  /**
   * Part files of an earlier run at a higher parallelism (`part-5` when this run has 2 subtasks)
   * would be read with this run's: subtask 0 removes them. The others write only their own file.
   */
  private async removeStaleParts(): Promise<void> {
    const { suffix } = this.partFile;
    const pattern = /^part-(\d+)(.*)$/;
    for (const name of await readdir(this.directory)) {
      const match = pattern.exec(name);
      if (match && match[2] === suffix && Number(match[1]) >= this.parallelism) await rm(join(this.directory, name), { force: true });
    }
  }

  collect(value: T): void {
    this.tracker.current = this.descriptor;
    this.pending += this.partFile.format(value) + '\n';
  }

  override afterStep(): Promise<void> | null {
    if (this.failure) throw this.failure;
    if (this.writing === null) {
      if (this.pending !== '') this.startWrite();
      return null;
    }
    return this.pending.length > TEXT_SINK_MAX_BUFFERED_CHARS ? this.writing : null;
  }

  override endInput(): Promise<void> {
    this.inputEnded = true;
    return this.flush();
  }

  override async close(): Promise<void> {
    try {
      if (this.handle) await this.flush();
    } finally {
      const handle = this.handle;
      this.handle = undefined;
      await handle?.close();
      if (handle && !this.inputEnded && !this.wroteAny) await rm(this.path, { force: true });
    }
  }

  /** Writes everything buffered; rejects with the first write failure. */
  private async flush(): Promise<void> {
    while (this.failure === null && (this.writing !== null || this.pending !== '')) {
      if (this.writing) await this.writing;
      else this.startWrite();
    }
    if (this.failure) throw this.failure;
  }

  private startWrite(): void {
    const handle = this.handle;
    if (!handle) {
      this.failure = this.writeError(`${this.path} is not open`, undefined);
      return;
    }
    const data = this.pending;
    this.pending = '';
    this.wroteAny = true;
    // writeFile on a handle writes all of `data` from the current position, looping on short writes.
    this.writing = handle.writeFile(data).then(
      () => {
        this.writing = null;
      },
      (error: unknown) => {
        this.failure = this.writeError(`writing ${describePath(this.path)} failed`, error);
        this.writing = null;
      },
    );
  }

  private writeError(what: string, cause: unknown): WeirError {
    const detail = cause === undefined ? '' : `: ${describeError(cause)}`;
    return new WeirError('SINK_WRITE_FAILED', `${describeOperator(this.descriptor)}: ${what}${detail}`, { cause });
  }
}
