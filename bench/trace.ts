// Message trace benchmark: local tell and ping-pong throughput with nobody tracing (one boolean read
// per message), with a subscriber whose filter lets nothing through, and with one that takes
// everything (bounded: the traced side keeps MAX_BUFFERED_TRACE_EVENTS and counts the rest). Modes
// alternate run by run so that they see the same machine. Prints ONE JSON line; asserts nothing.
//
//   npx tsx bench/trace.ts
import type { Subscription } from 'rxjs';
import { type ActorRef, ActorSystem, Behaviors } from '../actors/index.ts';

const TELLS = 1_000_000;
const PING_PONG_MESSAGES = 500_000;
const REPEATS = 5;

type Mode = 'none' | 'filteredOut' | 'everything';
const MODES: readonly Mode[] = ['none', 'filteredOut', 'everything'];
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const COUNT = { type: 'Count' } as const;

function subscribe(system: ActorSystem, mode: Mode): { subscription: Subscription | undefined; dropped: () => number } {
  let dropped = 0;
  if (mode === 'none') return { subscription: undefined, dropped: () => 0 };
  const filter = mode === 'filteredOut' ? { type: 'NoSuchMessage' } : {};
  const subscription = system.traceItems$(filter).subscribe((item) => {
    if (item.kind === 'dropped') dropped += item.count;
  });
  return { subscription, dropped: () => dropped };
}

async function tells(system: ActorSystem, run: number): Promise<number> {
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const counter = system.spawn(
    Behaviors.receiveMessage<typeof COUNT>(() => {
      if (++seen === TELLS) done();
      return Behaviors.same;
    }),
    `counter-${run}`,
  );
  await tick();
  const start = performance.now();
  for (let i = 0; i < TELLS; i++) counter.tell(COUNT);
  await finished;
  return TELLS / ((performance.now() - start) / 1000);
}

type Ball = { readonly type: 'Ball'; readonly left: number; readonly replyTo: ActorRef<Ball> };

async function pingPong(system: ActorSystem, run: number): Promise<number> {
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const bouncer = Behaviors.receive<Ball>((ctx, ball) => {
    if (ball.left === 0) done();
    else ball.replyTo.tell({ type: 'Ball', left: ball.left - 1, replyTo: ctx.self });
    return Behaviors.same;
  });
  const a = system.spawn(bouncer, `a-${run}`);
  const b = system.spawn(bouncer, `b-${run}`);
  await tick();
  const start = performance.now();
  a.tell({ type: 'Ball', left: PING_PONG_MESSAGES, replyTo: b });
  await finished;
  return PING_PONG_MESSAGES / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const system = await ActorSystem.create({ name: 'bench', log: { level: 'warn' } });
  const figures: Record<string, number[]> = {};
  let dropped = 0;
  let run = 0;
  for (let repeat = 0; repeat <= REPEATS; repeat++) {
    for (const mode of MODES) {
      const { subscription, dropped: droppedOf } = subscribe(system, mode);
      const tellRate = await tells(system, run++);
      const pingPongRate = await pingPong(system, run++);
      await new Promise((resolve) => setTimeout(resolve, 30)); // the last flush
      subscription?.unsubscribe();
      if (repeat === 0) continue; // warm-up
      (figures[`tell_${mode}`] ??= []).push(tellRate);
      (figures[`pingPong_${mode}`] ??= []).push(pingPongRate);
      if (mode === 'everything') dropped = droppedOf();
    }
  }
  await system.terminate();
  const m = (key: string): number => Math.round(median(figures[key]));
  console.log(
    JSON.stringify({
      bench: 'trace',
      tellPerSecNoSubscriber: m('tell_none'),
      tellPerSecFilteredOut: m('tell_filteredOut'),
      tellPerSecEverything: m('tell_everything'),
      pingPongPerSecNoSubscriber: m('pingPong_none'),
      pingPongPerSecFilteredOut: m('pingPong_filteredOut'),
      pingPongPerSecEverything: m('pingPong_everything'),
      droppedPerEverythingRun: dropped,
    }),
  );
}

await main();
