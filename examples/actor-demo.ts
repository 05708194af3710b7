// npm run demo:actors: two actor systems talk over WebSocket on loopback, and the message trace is printed.
// (The runnable tour of the actor runtime; npm start runs the word count.)
import { ActorSystem, Behaviors, ask, type ActorRef, type Behavior } from '../actors/index.ts';
import { registerMessages } from '../messages/codec.ts';

interface Greet {
  readonly type: 'Greet';
  readonly name: string;
  readonly replyTo: ActorRef<Greeted>;
}
interface Greeted {
  readonly type: 'Greeted';
  readonly text: string;
  readonly count: number;
}
registerMessages(['Greet', 'Greeted']);

/** Counts greetings; the count is the actor's state, changed only by its handler. */
function greeter(count = 0): Behavior<Greet> {
  return Behaviors.receiveMessage<Greet>((msg) => {
    msg.replyTo.tell({ type: 'Greeted', text: `hello, ${msg.name}`, count: count + 1 });
    return greeter(count + 1);
  });
}

const quiet = { level: 'warn' } as const;
const server = await ActorSystem.create({ name: 'server', remote: { port: 0 }, log: quiet });
const client = await ActorSystem.create({ name: 'client', remote: { port: 0 }, log: quiet });
server.spawn(greeter(), 'greeter');

const trace = client.trace$.subscribe((event) => {
  const bytes = event.bytes === undefined ? '' : ` ${event.bytes} B`;
  process.stdout.write(`trace ${event.direction.padEnd(5)} ${event.type.padEnd(8)} ${event.from ?? '(outside)'} -> ${event.to}${bytes}\n`);
});

const greeterRef = client.resolve<Greet>(`${server.address}/user/greeter`);
for (const name of ['Flink', 'Akka', 'Weir']) {
  const reply = await ask<Greet, Greeted>(greeterRef, (replyTo) => ({ type: 'Greet', name, replyTo }), 5_000);
  process.stdout.write(`reply ${reply.text} (#${reply.count})\n`);
}

trace.unsubscribe();
await client.terminate();
await server.terminate();
