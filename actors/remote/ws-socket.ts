// The calls into a ws socket that ws itself may throw from, made safe for both WebSocket transports
// (actor remoting and the data plane): a close reason over 123 bytes of UTF-8 is a RangeError, and
// a send or close on a socket whose state changed under us may throw too. Nothing here throws: a
// socket that cannot be used cleanly is cut off, and the caller hears of it through its close event.
import { WebSocket } from 'ws';
import { describeError } from '../../messages/errors.ts';

/** The longest close reason WebSocket allows, in bytes of UTF-8 (RFC 6455, 5.5: 125 minus the code). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** `reason`, cut to at most MAX_CLOSE_REASON_BYTES of UTF-8 at a character boundary. */
export function closeReason(reason: string): string {
  // At most 3 bytes per UTF-16 unit: short reasons (all of ours) need no counting.
  if (reason.length * 3 <= MAX_CLOSE_REASON_BYTES) return reason;
  let bytes = 0;
  let end = 0;
  for (const char of reason) {
    // A lone surrogate is written as U+FFFD, 3 bytes, like any other code point under U+10000.
    const size = Buffer.byteLength(char);
    if (bytes + size > MAX_CLOSE_REASON_BYTES) break;
    bytes += size;
    end += char.length;
  }
  return reason.slice(0, end);
}

/**
 * Starts the close handshake with `reason` (cut to fit), and cuts the socket off after `graceMs` if
 * the peer does not answer it; a socket that cannot start the handshake is cut off at once.
 */
export function closeSocket(socket: WebSocket, reason: string, graceMs: number): void {
  try {
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(1000, closeReason(reason));
    setTimeout(() => terminateSocket(socket), graceMs).unref();
  } catch {
    terminateSocket(socket);
  }
}

/** Sends one binary frame if the socket is open; returns what went wrong when ws threw, else undefined. */
export function sendOnSocket(socket: WebSocket, frame: Uint8Array): string | undefined {
  if (socket.readyState !== WebSocket.OPEN) return undefined; // closing: its close event follows
  try {
    socket.send(frame, { binary: true, compress: false });
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

/**
 * Sets the largest frame `socket` accepts from now on (it takes effect at the next frame). ws fixes
 * its limit (maxPayload) when the socket is made; this sets its receiver's, which ws checks at each
 * frame header. Returns false when this ws keeps the limit elsewhere, and changes nothing then.
 */
export function setFrameLimit(socket: WebSocket, bytes: number): boolean {
  const receiver = (socket as unknown as { _receiver?: { _maxPayload?: unknown } })._receiver;
  if (typeof receiver?._maxPayload !== 'number') return false;
  receiver._maxPayload = bytes;
  return true;
}

/** Cuts the connection without a close handshake. */
export function terminateSocket(socket: WebSocket): void {
  try {
    socket.terminate();
  } catch {
    // Already gone: there is nothing left to cut.
  }
}
