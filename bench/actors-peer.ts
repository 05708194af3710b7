// The second process of bench/actors.ts: an echo actor, a counting sink and a plain ws echo server.
// Prints one PeerReady JSON line on stdout once it listens; exits on Shutdown or when its stdin
// closes (the parent died).
import { WebSocketServer } from 'ws';
import { ActorSystem, Behaviors } from '../actors/index.ts';
import './actors-protocol.ts'; // registers the message types (the import below is types only)
import type { CountDone, EchoMsg, PeerReady, SinkMsg } from './actors-protocol.ts';

const system = await ActorSystem.create({ name: 'bench-peer', remote: { port: 0 } });

const echo = system.spawn(
  Behaviors.receiveMessage<EchoMsg>((msg) => {
    msg.replyTo.tell({ type: 'Pong', seq: msg.seq });
    return Behaviors.same;
  }),
  'echo',
);

let expected = 0;
let count = 0;
let firstAt = 0;
let replyTo: { tell(msg: CountDone): void } | undefined;
const sink = system.spawn(
  Behaviors.receiveMessage<SinkMsg>((msg) => {
    switch (msg.type) {
      case 'StartCount':
        expected = msg.expected;
        count = 0;
        replyTo = msg.replyTo;
        return Behaviors.same;
      case 'Data':
        if (count++ === 0) firstAt = performance.now();
        if (count === expected) replyTo?.tell({ type: 'CountDone', count, receiveMs: performance.now() - firstAt });
        return Behaviors.same;
      case 'Shutdown':
        void exit();
        return Behaviors.same;
      default:
        msg satisfies never;
        return Behaviors.unhandled;
    }
  }),
  'sink',
);

const rawWs = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
await new Promise<void>((resolve) => rawWs.once('listening', resolve));
rawWs.on('connection', (socket) => {
  socket.on('message', (data: Buffer) => socket.send(data, { binary: true, compress: false }));
});
const rawAddress = rawWs.address();

async function exit(): Promise<void> {
  rawWs.close();
  for (const client of rawWs.clients) client.terminate();
  await system.terminate();
  process.exit(0);
}
process.stdin.on('end', () => void exit());
process.stdin.resume();

const ready: PeerReady = {
  address: system.address,
  echoPath: echo.path,
  sinkPath: sink.path,
  rawWsPort: typeof rawAddress === 'object' && rawAddress !== null ? rawAddress.port : 0,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
