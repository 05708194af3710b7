// socketTextStream(host, port, delimiter): the text a TCP server sends, cut at `delimiter` (Flink's
// SocketTextStreamFunction; try it with `nc -lk 9999`). Parallelism 1, unbounded; it ends when the
// server closes the connection (the text after the last delimiter is the last record), and does not
// reconnect. With the default '\n' delimiter a '\r' before it is dropped, as in Flink.
//
// Backpressure: received records wait in a buffer; once it holds SOCKET_BUFFER_HIGH_WATER_CHARS the
// socket is paused (TCP then slows the server down) and it resumes when read() has drained the buffer
// to half of that. A record longer than SOCKET_MAX_RECORD_CHARS fails the subtask.
//
// Errors: a failed connect fails open() with SOURCE_CONNECTION_FAILED, a broken connection the next
// read with SOURCE_READ_FAILED; both name host:port. Threading: fields marked "socket" are written
// by the socket's event handlers; the rest on the subtask's turn.
import { type Socket, connect } from 'node:net';
import { WeirError, describeError } from '../../messages/errors.ts';
import { type SourceTransformation, defaultOperatorId } from '../graph/transformation.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../runtime/chain.ts';
import { SOURCE_END, SOURCE_MORE, type SourceReader, type SourceStatus } from '../runtime/source-reader.ts';
import { WakeSignal } from './wake-signal.ts';

export const SOCKET_TEXT_SOURCE_KIND = 'source-socket-text';

/** Characters of received records buffered ahead of the chain before the socket is paused. */
export const SOCKET_BUFFER_HIGH_WATER_CHARS = 1 << 20;
/** The longest record; a longer one fails the subtask rather than grow the buffer without bound. */
export const SOCKET_MAX_RECORD_CHARS = 64 * 1024 * 1024;
/** How long open() waits for the connection. */
export const SOCKET_CONNECT_TIMEOUT_MS = 10_000;
/** Records read before the buffer's front is compacted. */
const COMPACT_AFTER = 1024;

export interface SocketAddress {
  readonly host: string;
  readonly port: number;
  readonly delimiter: string;
}

export class SocketTextSourceReader implements SourceReader {
  private readonly operator: string;
  private readonly endpoint: string;
  private socket: Socket | null = null;
  /** socket: records received and not emitted yet, from `head` on. */
  private readonly records: (string | undefined)[] = [];
  private head = 0;
  /** socket: characters in `records` from `head` on. */
  private buffered = 0;
  /** socket: text after the last delimiter. */
  private partial = '';
  private paused = false;
  /** socket: how the connection ended; reported once the buffer is drained. */
  private ending: SourceStatus | null = null;
  private cancelled = false;
  private readonly signal = new WakeSignal();

  constructor(
    runtime: OperatorRuntime,
    private readonly address: SocketAddress,
    private readonly output: Output<string>,
  ) {
    this.operator = describeOperator(runtime.descriptor);
    this.endpoint = `${address.host}:${address.port}`;
  }

  /** Characters of records waiting for the chain (for specs and metrics). */
  get bufferedChars(): number {
    return this.buffered;
  }

  /** Connects; rejects with SOURCE_CONNECTION_FAILED naming host:port. */
  async open(): Promise<void> {
    const socket = connect({ host: this.address.host, port: this.address.port });
    this.socket = socket;
    socket.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        socket.off('error', onError).off('close', onClose).off('connect', onConnect);
      };
      const fail = (problem: string, cause?: unknown): void => {
        settle();
        socket.destroy();
        reject(new WeirError('SOURCE_CONNECTION_FAILED', `${this.operator}: cannot connect to ${this.endpoint}: ${problem}`, cause === undefined ? undefined : { cause }));
      };
      const onError = (error: Error): void => fail(describeError(error), error);
      // A cancel while connecting destroys the socket: open() returns, and read() reports the end.
      const onClose = (): void => {
        settle();
        this.end(SOURCE_END);
        resolve();
      };
      const onConnect = (): void => {
        settle();
        this.listen(socket);
        resolve();
      };
      const timer = setTimeout(() => fail(`no connection within ${SOCKET_CONNECT_TIMEOUT_MS} ms`), SOCKET_CONNECT_TIMEOUT_MS);
      socket.on('error', onError).on('close', onClose).on('connect', onConnect);
    });
  }

  read(maxRecords: number): SourceStatus {
    const records = this.records;
    const output = this.output;
    let head = this.head;
    let chars = 0;
    const end = Math.min(records.length, head + maxRecords);
    while (head < end) {
      const record = records[head] as string;
      records[head++] = undefined;
      chars += record.length;
      output.collect(record, undefined);
    }
    this.head = head;
    this.buffered -= chars;
    if (head === records.length) {
      records.length = 0;
      this.head = 0;
    } else if (head > COMPACT_AFTER && head * 2 > records.length) {
      records.splice(0, head);
      this.head = 0;
    }
    if (this.paused && this.buffered * 2 <= SOCKET_BUFFER_HIGH_WATER_CHARS) {
      this.paused = false;
      this.socket?.resume();
    }
    if (this.head < records.length) return SOURCE_MORE;
    if (this.cancelled) return SOURCE_END;
    return this.ending ?? { kind: 'wait', until: this.signal.next() };
  }

  cancel(): void {
    this.cancelled = true;
    this.socket?.destroy();
    this.signal.wake();
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    this.socket = null;
    this.signal.wake();
  }

  private listen(socket: Socket): void {
    socket.on('data', (text: string) => this.receive(text));
    socket.on('end', () => {
      if (this.partial !== '') this.push(this.partial);
      this.partial = '';
      this.end(SOURCE_END);
    });
    socket.on('error', (error) => {
      const message = `${this.operator}: reading from ${this.endpoint} failed: ${describeError(error)}`;
      this.end({ kind: 'failed', error: new WeirError('SOURCE_READ_FAILED', message, { cause: error }) });
    });
    socket.on('close', () => this.end(SOURCE_END));
  }

  private receive(text: string): void {
    if (this.ending) return;
    const delimiter = this.address.delimiter;
    const data = this.partial + text;
    // The delimiter may straddle the previous chunk and this one: search from just before the seam.
    let from = 0;
    let at = data.indexOf(delimiter, Math.max(0, this.partial.length - delimiter.length + 1));
    while (at >= 0) {
      this.push(data.slice(from, at));
      from = at + delimiter.length;
      at = data.indexOf(delimiter, from);
    }
    this.partial = from === 0 ? data : data.slice(from);
    if (this.partial.length > SOCKET_MAX_RECORD_CHARS) {
      const message = `${this.operator}: a record from ${this.endpoint} is longer than ${SOCKET_MAX_RECORD_CHARS} characters without a delimiter`;
      this.end({ kind: 'failed', error: new WeirError('SOURCE_READ_FAILED', message) });
      this.socket?.destroy();
      return;
    }
    if (!this.paused && this.buffered >= SOCKET_BUFFER_HIGH_WATER_CHARS) {
      this.paused = true;
      this.socket?.pause();
    }
    this.signal.wake();
  }

  private push(record: string): void {
    const value = this.address.delimiter === '\n' && record.charCodeAt(record.length - 1) === 0x0d ? record.slice(0, -1) : record;
    this.records.push(value);
    this.buffered += value.length;
  }

  private end(status: SourceStatus): void {
    if (this.ending) return;
    this.ending = status;
    this.signal.wake();
  }

}

/** Declares socketTextStream(host, port, delimiter): parallelism 1, unbounded. */
export function socketTextSource(index: number, host: string, port: number, delimiter: string): SourceTransformation {
  const name = 'Source: Socket Stream';
  const operator = describeOperator({ id: defaultOperatorId(SOCKET_TEXT_SOURCE_KIND, index), name });
  if (typeof host !== 'string' || host === '') throw new WeirError('INVALID_ARGUMENT', `${operator}: socketTextStream() needs a host name, got ${String(host)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: socketTextStream() needs a port from 1 to 65535, got ${String(port)}`);
  }
  if (typeof delimiter !== 'string' || delimiter === '') {
    throw new WeirError('INVALID_ARGUMENT', `${operator}: socketTextStream() needs a non-empty delimiter, got ${JSON.stringify(delimiter)}`);
  }
  const address: SocketAddress = { host, port, delimiter };
  return {
    role: 'source',
    index,
    kind: SOCKET_TEXT_SOURCE_KIND,
    name,
    uid: undefined,
    chaining: 'always',
    parallelism: 1,
    parallel: false,
    bounded: false,
    config: { host, port, delimiter },
    planSplits: () => undefined,
    createReader: (runtime, output) => new SocketTextSourceReader(runtime, address, output as Output<string>),
  };
}
