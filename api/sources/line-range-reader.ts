// Reads the lines of a text file that start in a byte range [start, end) (Flink's rule for input
// splits of delimited files): a range that does not start the file skips the line that started before
// it, and the last line it owns is read to its newline even past `end`. So cutting a file anywhere
// loses and duplicates no line. Lines end at '\n'; a '\r' before it is dropped; a last line without
// a newline still counts. '\n' never occurs inside a multi-byte UTF-8 character, so every decode
// is of whole lines.
//
// Memory: one window buffer (TEXT_READ_CHUNK_BYTES, grown only for a line longer than half of it, up
// to maxLineBytes) and the decoded lines of at most two chunks: the one being emitted and the next,
// read ahead while the chain consumes the first. Positional reads on one file handle; no per-line I/O.
//
// Lifecycle: take() starts the reads; the handle opens on the first and closes after the last (or a
// failure); close() stops reading and closes it early. Threading: fields marked "fill()" are written
// by the read in flight only; everything else runs on the subtask's turn.
import { type FileHandle, open } from 'node:fs/promises';
import { WeirError, describeError } from '../../messages/errors.ts';
import { describePath } from './path-description.ts';
import type { Output } from '../runtime/chain.ts';
import { SOURCE_END, SOURCE_MORE, type SourceStatus } from '../runtime/source-reader.ts';

/** Bytes asked of the file per read. */
export const TEXT_READ_CHUNK_BYTES = 256 * 1024;
/** The longest line a text file source accepts by default; a longer one fails the subtask. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Bytes per read once the range's end is passed: only the rest of the last line is needed. */
const TAIL_READ_BYTES = 16 * 1024;

const NEWLINE = 0x0a;

export interface LineRange {
  readonly path: string;
  /** The first byte of the range. */
  readonly start: number;
  /** One past the last byte: lines starting before it belong to the range. */
  readonly end: number;
}

/** Decoded lines of one read, and where in the file they lie (what a snapshot's byte offset is computed from). */
interface Chunk {
  readonly lines: readonly string[];
  /** The decoded bytes of every line but a last one without newline, newlines included ('\r's kept). */
  readonly text: string;
  /** The file offset of the first line's first byte. */
  readonly byteStart: number;
  /** The file offset just past the last line (and its newline). */
  readonly byteEnd: number;
}

const NO_CHUNK: Chunk = { lines: [], text: '', byteStart: 0, byteEnd: 0 };

export class LineRangeReader {
  /** fill(): bytes [0, carried) hold the start of a line not yet complete. */
  private window: Buffer;
  private carried = 0;
  /** fill(): the file offset of the next byte to read. */
  private position: number;
  /** fill(): true until the first line start of a range that does not begin the file is found. */
  private skipping: boolean;
  /** fill(): every owned line has been decoded (the file handle is closed or closing). */
  private scanned = false;
  private handle: FileHandle | null = null;
  /** The lines being emitted, from `index` on; NO_CHUNK before the first. */
  private chunk: Chunk = NO_CHUNK;
  private index = 0;
  /** fill(): the next chunk's lines, read ahead. */
  private next: Chunk | null = null;
  /** The read in flight; it never rejects (its outcome lands in `next` or `failure`). */
  private reading: Promise<void> | null = null;
  private failure: WeirError | null = null;
  private closed = false;

  constructor(
    readonly range: LineRange,
    private readonly maxLineBytes: number,
    /** How errors name the source, e.g. `operator "Source: Text File" (id "source-text-file-0")`. */
    private readonly operator: string,
  ) {
    this.window = Buffer.allocUnsafe(TEXT_READ_CHUNK_BYTES);
    // Starting one byte early tells whether a line starts exactly at `start`.
    this.position = range.start > 0 ? range.start - 1 : 0;
    this.skipping = range.start > 0;
  }

  /** Emits at most `budget` lines into `output`; returns how many. Starts reading as needed. */
  take(output: Output<string>, budget: number): number {
    let emitted = 0;
    while (emitted < budget) {
      if (this.index === this.chunk.lines.length) {
        if (this.next === null) break;
        this.chunk = this.next;
        this.index = 0;
        this.next = null;
      }
      const lines = this.chunk.lines;
      const end = Math.min(lines.length, this.index + budget - emitted);
      for (let index = this.index; index < end; index++) output.collect(lines[index], undefined);
      emitted += end - this.index;
      this.index = end;
    }
    this.readAhead();
    return emitted;
  }

  /** Every owned line was emitted and the file is closed. */
  get done(): boolean {
    return this.scanned && this.reading === null && this.next === null && this.index === this.chunk.lines.length && this.failure === null;
  }

  /**
   * The file offset of the next line to emit (range.start before the first): a reader of the range
   * [that offset, end) emits exactly the lines this one has not emitted yet. Computed on request (a
   * checkpoint) from the current chunk's text, so reading pays nothing for it.
   */
  get nextLineOffset(): number {
    const chunk = this.chunk;
    if (chunk === NO_CHUNK) return this.range.start;
    const index = this.index;
    if (index === 0) return chunk.byteStart;
    if (index === chunk.lines.length) return chunk.byteEnd;
    let newline = -1;
    for (let line = 0; line < index; line++) {
      newline = chunk.text.indexOf('\n', newline + 1);
      // The last line without a newline starts one byte past the text (its newline).
      if (newline < 0) return chunk.byteStart + Buffer.byteLength(chunk.text) + 1;
    }
    return chunk.byteStart + Buffer.byteLength(chunk.text.slice(0, newline + 1));
  }

  /** Why take() stopped short: 'more' (lines are ready), 'wait' (a read in flight), 'failed' or 'end'. */
  status(): SourceStatus {
    if (this.index < this.chunk.lines.length || this.next !== null) return SOURCE_MORE;
    if (this.failure) return { kind: 'failed', error: this.failure };
    if (this.reading) return { kind: 'wait', until: this.reading };
    return this.scanned ? SOURCE_END : SOURCE_MORE;
  }

  /** Stops reading and closes the file once the read in flight settled. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reading) await this.reading;
    await this.release();
  }

  private readAhead(): void {
    if (this.reading !== null || this.next !== null || this.scanned || this.failure !== null || this.closed) return;
    this.reading = this.fill();
  }

  /** Reads until at least one line is decoded or the range is scanned; never rejects. */
  private async fill(): Promise<void> {
    try {
      this.handle ??= await open(this.range.path, 'r');
      let chunk: Chunk | null = null;
      while (chunk === null && !this.scanned && !this.closed) chunk = await this.readChunk(this.handle);
      if (this.scanned) await this.release();
      if (chunk !== null) this.next = chunk;
    } catch (error) {
      this.failure = error instanceof WeirError ? error : this.readError(`reading ${describePath(this.range.path)} failed: ${describeError(error)}`, error);
      await this.release().catch(() => {});
    } finally {
      this.reading = null;
    }
  }

  /** One read into the window; returns the complete owned lines it finished, null when none. */
  private async readChunk(handle: FileHandle): Promise<Chunk | null> {
    this.growWindowForLongLine();
    const window = this.window;
    const room = window.length - this.carried;
    const untilEnd = this.range.end - this.position;
    const wanted = Math.min(room, untilEnd > 0 ? untilEnd + TAIL_READ_BYTES : TAIL_READ_BYTES);
    const { bytesRead } = await handle.read(window, this.carried, wanted, this.position);
    this.position += bytesRead;
    const filled = this.carried + bytesRead;
    const atEof = bytesRead === 0;
    /** The file offset of window[0]. */
    const base = this.position - filled;
    // Owned lines start before `end`, so the newline ending the last one is the first at or after end - 1.
    const lastOwnedNewlineFrom = this.range.end - 1 - base;
    let from = 0;
    if (this.skipping) {
      const searchable = Math.max(0, Math.min(filled, lastOwnedNewlineFrom));
      const newline = window.subarray(0, searchable).indexOf(NEWLINE);
      if (newline < 0) {
        if (atEof || searchable < filled) this.scanned = true;
        this.carried = 0;
        return null;
      }
      this.skipping = false;
      from = newline + 1;
    }
    const view = window.subarray(0, filled);
    const terminalFrom = Math.max(from, lastOwnedNewlineFrom);
    const terminal = terminalFrom < filled ? view.indexOf(NEWLINE, terminalFrom) : -1;
    if (terminal >= 0) {
      this.scanned = true;
      return decodeLines(window, from, terminal, base);
    }
    const lastNewline = view.lastIndexOf(NEWLINE);
    const decoded = lastNewline >= from ? decodeLines(window, from, lastNewline, base) : null;
    if (lastNewline >= from) from = lastNewline + 1;
    if (atEof) {
      this.scanned = true;
      if (from === filled) return decoded;
      const last = stripCarriageReturn(window.toString('utf8', from, filled));
      if (decoded === null) return { lines: [last], text: '', byteStart: base + from, byteEnd: base + filled };
      return { lines: [...decoded.lines, last], text: decoded.text, byteStart: decoded.byteStart, byteEnd: base + filled };
    }
    this.carried = filled - from;
    if (this.carried > this.maxLineBytes) {
      throw this.readError(`the line at byte ${base + from} of "${this.range.path}" is longer than maxLineBytes (${this.maxLineBytes} bytes)`);
    }
    window.copyWithin(0, from, filled);
    return decoded;
  }

  /** A window at least half full of one unfinished line doubles; back to a chunk once lines are short. */
  private growWindowForLongLine(): void {
    const window = this.window;
    let size = window.length;
    if (this.carried * 2 > size) size = Math.min(size * 2, this.maxLineBytes + TEXT_READ_CHUNK_BYTES);
    else if (size > TEXT_READ_CHUNK_BYTES && this.carried * 2 <= TEXT_READ_CHUNK_BYTES) size = TEXT_READ_CHUNK_BYTES;
    if (size === window.length) return;
    const resized = Buffer.allocUnsafe(size);
    window.copy(resized, 0, 0, this.carried);
    this.window = resized;
  }

  private readError(problem: string, cause?: unknown): WeirError {
    return new WeirError('SOURCE_READ_FAILED', `${this.operator}: ${problem}`, cause === undefined ? undefined : { cause });
  }

  private async release(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}

/** The lines in window[from, to), where window[to] is the newline ending the last of them; `base` is window[0]'s file offset. */
function decodeLines(window: Buffer, from: number, to: number, base: number): Chunk {
  const text = window.toString('utf8', from, to);
  const lines = text.split('\n');
  if (text.includes('\r')) {
    for (let index = 0; index < lines.length; index++) lines[index] = stripCarriageReturn(lines[index]);
  }
  return { lines, text, byteStart: base + from, byteEnd: base + to + 1 };
}

function stripCarriageReturn(line: string): string {
  return line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
}
