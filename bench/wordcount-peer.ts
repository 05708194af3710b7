// The producer process of the distributed baseline in bench/wordcount.ts: the plain two-process word
// count (BASELINES.md, point 5) without Weir. It splits the benchmark's lines into (word, 1) pairs,
// packs them with msgpackr in batches of BATCH_RECORDS and sends them over a plain ws connection to
// whoever connects; the consumer unpacks and counts. Prints one JSON line {ready, port} once listening, then
// takes one JSON command per stdin line, {"lines":n}; sends the text 'end' after the last batch.
// It also answers each text frame 'ping' with 'pong' (the latency baseline). Exits when stdin closes.
import { createInterface } from 'node:readline';
import { Packr } from 'msgpackr';
import { type WebSocket, WebSocketServer } from 'ws';
import { BATCH_RECORDS } from '../cluster/taskmanager/network/network-environment.ts';
import { WORD_SEPARATOR, lineOf } from './jobs/text.ts';

/** The sender waits for the socket to drain above this (the baseline's flow control). */
const HIGH_WATER_BYTES = 1 << 20;

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
await new Promise((resolve) => server.once('listening', resolve));
let client: WebSocket | undefined;
server.on('connection', (socket: WebSocket) => {
  client = socket;
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) socket.send('pong');
  });
});
const address = server.address();
lineOf(0); // builds the line pool before the first run is timed

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function produce(lines: number): Promise<void> {
  const socket = client as WebSocket;
  const packr = new Packr({ useRecords: true, mapsAsObjects: true, moreTypes: false });
  let batch: [string, number][] = [];
  for (let index = 0; index < lines; index++) {
    const words = lineOf(index).toLowerCase().split(WORD_SEPARATOR);
    for (let at = 0; at < words.length; at++) {
      if (words[at] === '') continue;
      batch.push([words[at], 1]);
      if (batch.length === BATCH_RECORDS) {
        socket.send(packr.pack(batch), { binary: true, compress: false });
        batch = [];
        while (socket.bufferedAmount > HIGH_WATER_BYTES) await tick();
      }
    }
  }
  if (batch.length > 0) socket.send(packr.pack(batch), { binary: true, compress: false });
  socket.send('end');
}

process.stdout.write(JSON.stringify({ ready: true, port: typeof address === 'object' && address !== null ? address.port : 0 }) + '\n');
const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => void produce((JSON.parse(line) as { lines: number }).lines));
commands.on('close', () => server.close(() => process.exit(0)));
