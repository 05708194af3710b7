// Connection pressure at a WebSocket port, for the fuzz spec: thousands of connections opened in
// waves and dropped (half of them after a first frame), and slow senders that trickle an upgrade
// request a byte at a time. What the port refuses (its connection caps) is counted, not a failure.
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { within } from './process.ts';

export interface FloodFigures {
  attempted: number;
  /** Opened (upgraded) before being dropped. */
  opened: number;
  /** Refused or closed by the port before the upgrade completed (a cap, a busy accept queue). */
  refused: number;
}

function openAndDrop(url: string, firstFrame: Uint8Array | undefined, figures: FloodFigures): Promise<void> {
  return new Promise((resolve) => {
    figures.attempted++;
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 16, handshakeTimeout: 10_000 });
    socket.on('error', () => undefined);
    socket.once('open', () => {
      figures.opened++;
      if (firstFrame) socket.send(firstFrame);
      socket.terminate();
    });
    socket.once('unexpected-response', () => socket.terminate());
    socket.once('close', () => resolve());
  });
}

/** `total` connections to `url` in waves of `wave` at once, each dropped right after it opens. */
export async function flood(url: string, total: number, wave: number, firstFrame: Uint8Array, what: string): Promise<FloodFigures> {
  const figures: FloodFigures = { attempted: 0, opened: 0, refused: 0 };
  for (let started = 0; started < total; started += wave) {
    const count = Math.min(wave, total - started);
    await within(Promise.all(Array.from({ length: count }, (_, index) => openAndDrop(url, index % 2 === 0 ? firstFrame : undefined, figures))), 30_000, `a wave of ${count} connections to ${what}`);
  }
  figures.refused = figures.attempted - figures.opened;
  return figures;
}

/**
 * `count` raw connections to host:port that send a WebSocket upgrade request one byte every
 * `intervalMs`, and are dropped after `forMs` (or when the port closes them). Resolves with how many
 * the port closed by itself meanwhile.
 */
export async function slowSenders(hostPort: string, path: string, count: number, intervalMs: number, forMs: number): Promise<number> {
  const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(':')), Number(hostPort.slice(hostPort.lastIndexOf(':') + 1))];
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${hostPort}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${Buffer.alloc(16, 7).toString('base64')}\r\n\r\n`);
  const closedByPort = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<boolean>((resolve) => {
          let sent = 0;
          let dropping = false;
          const socket = connect(port, host);
          const ticker = setInterval(() => {
            if (sent < request.length) socket.write(request.subarray(sent, ++sent));
          }, intervalMs);
          const stop = setTimeout(() => {
            dropping = true;
            socket.destroy();
          }, forMs);
          socket.on('error', () => undefined);
          socket.resume();
          socket.on('close', () => {
            clearInterval(ticker);
            clearTimeout(stop);
            resolve(!dropping);
          });
        }),
    ),
  );
  return closedByPort.filter(Boolean).length;
}
