import test from 'ava';
import { AbstractBehavior, type ActorContext, type ActorRef, type Behavior, Behaviors, type Signal } from '../../actors/index.ts';
import { TestProbe, createTestSystem, settle } from '../testkit/index.ts';

type CounterMsg = { readonly type: 'Increment' } | { readonly type: 'Get'; readonly replyTo: ActorRef<number> };

/** Counts in its behavior: each Increment returns a new behavior holding the next count. */
function counter(count: number): Behavior<CounterMsg> {
  return Behaviors.receiveMessage<CounterMsg>((msg) => {
    switch (msg.type) {
      case 'Increment':
        return counter(count + 1);
      case 'Get':
        msg.replyTo.tell(count);
        return Behaviors.same;
    }
  });
}

test('receive hands the handler the actor context and the message', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  const echo = system.spawn(
    Behaviors.receive<{ readonly text: string }>((ctx, msg) => {
      probe.ref.tell(`${ctx.self.path} got ${msg.text}`);
      return Behaviors.same;
    }),
    'echo',
  );
  echo.tell({ text: 'hi' });
  t.is(await probe.expectMessage(), 'weir://test/user/echo got hi');
});

test('receiveMessage keeps state by returning the behavior for the next message', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<number>(system);
  const ref = system.spawn(counter(0), 'counter');
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Get', replyTo: probe.ref });
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Get', replyTo: probe.ref });
  t.deepEqual(await probe.expectMessages(2), [2, 3]);
});

test('setup runs once, when the actor starts, before its first message', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  const ref = system.spawn(
    Behaviors.setup<string>((ctx) => {
      probe.ref.tell(`setup ${ctx.self.path}`);
      return Behaviors.receiveMessage((msg) => {
        probe.ref.tell(msg);
        return Behaviors.same;
      });
    }),
    'lazy',
  );
  ref.tell('a');
  ref.tell('b');
  t.deepEqual(await probe.expectMessages(3), ['setup weir://test/user/lazy', 'a', 'b']);
  await probe.expectNoMessage(10);
});

test('Behaviors.same keeps the current behavior while a new behavior replaces it', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  type ModeMsg = { readonly type: 'Ping' } | { readonly type: 'Toggle' };
  const mode = (name: string, other: () => Behavior<ModeMsg>): Behavior<ModeMsg> =>
    Behaviors.receiveMessage((msg) => {
      if (msg.type === 'Toggle') return other();
      probe.ref.tell(name);
      return Behaviors.same;
    });
  const idle = (): Behavior<ModeMsg> => mode('idle', active);
  const active = (): Behavior<ModeMsg> => mode('active', idle);
  const ref = system.spawn(idle(), 'modal');
  for (const type of ['Ping', 'Ping', 'Toggle', 'Ping', 'Toggle', 'Ping'] as const) ref.tell({ type });
  t.deepEqual(await probe.expectMessages(4), ['idle', 'idle', 'active', 'idle']);
});

test('Behaviors.stopped stops the actor: watchers see Terminated and later messages are dead letters', async (t) => {
  const { system } = await createTestSystem(t);
  const watcher = new TestProbe<never>(system);
  const handled: string[] = [];
  const ref = system.spawn(
    Behaviors.receiveMessage<string>((msg) => {
      handled.push(msg);
      return msg === 'stop' ? Behaviors.stopped : Behaviors.same;
    }),
    'stopper',
  );
  watcher.watch(ref);
  ref.tell('a');
  ref.tell('stop');
  ref.tell('after');
  const terminated = await watcher.expectTerminated();
  t.is(terminated.ref, ref as ActorRef<never>);
  t.is(terminated.error, undefined);
  t.deepEqual(handled, ['a', 'stop']);
  t.is(system.deadLetterCount, 1);
});

test('stoppedWith runs its callback after the PostStop signal', async (t) => {
  const { system } = await createTestSystem(t);
  const watcher = new TestProbe<never>(system);
  const order: string[] = [];
  const ref = system.spawn(
    Behaviors.receive<string>(
      () => Behaviors.stoppedWith(() => order.push('callback')),
      (_ctx, signal) => {
        order.push(signal.signal);
        return Behaviors.same;
      },
    ),
    'farewell',
  );
  watcher.watch(ref);
  ref.tell('stop');
  await watcher.expectTerminated();
  t.deepEqual(order, ['PostStop', 'callback']);
});

test('an unhandled message is a dead letter of class unhandled, logged as a warning, and the actor keeps running', async (t) => {
  const { system, logs } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  const ref = system.spawn(
    Behaviors.receiveMessage<{ readonly type: 'Known' | 'Unknown' }>((msg) => {
      if (msg.type === 'Unknown') return Behaviors.unhandled;
      probe.ref.tell('known');
      return Behaviors.same;
    }),
    'picky',
  );
  ref.tell({ type: 'Unknown' });
  ref.tell({ type: 'Known' });
  t.is(await probe.expectMessage(), 'known');
  t.is(system.deadLetterOffice.unhandledCount, 1);
  t.is(system.deadLetterCount, 1);
  t.like(logs.matching('dead letter: Unknown', 'warn'), [
    { msg: 'dead letter: Unknown to weir://test/user/picky (unhandled by the recipient)', reasonClass: 'unhandled', recipient: 'weir://test/user/picky' },
  ]);
});

test('Behaviors.empty counts every message as unhandled and Behaviors.ignore drops them silently', async (t) => {
  const { system } = await createTestSystem(t);
  const empty = system.spawn(Behaviors.empty<string>(), 'empty');
  const ignore = system.spawn(Behaviors.ignore<string>(), 'ignore');
  empty.tell('a');
  empty.tell('b');
  ignore.tell('c');
  await settle();
  t.is(system.deadLetterOffice.unhandledCount, 2);
  t.is(system.deadLetterCount, 2);
});

class ClassCounter extends AbstractBehavior<CounterMsg> {
  private count = 0;

  constructor(
    context: ActorContext<CounterMsg>,
    private readonly signals: ActorRef<string>,
  ) {
    super(context);
  }

  onMessage(msg: CounterMsg): Behavior<CounterMsg> {
    switch (msg.type) {
      case 'Increment':
        this.count++;
        return this;
      case 'Get':
        msg.replyTo.tell(this.count);
        return this.count >= 2 ? Behaviors.stopped : this;
    }
  }

  override onSignal(signal: Signal): Behavior<CounterMsg> {
    this.signals.tell(`${signal.signal} at ${this.context.self.path}`);
    return Behaviors.same;
  }
}

test('an AbstractBehavior keeps its state in fields and receives its signals', async (t) => {
  const { system } = await createTestSystem(t);
  const replies = new TestProbe<number>(system);
  const signals = new TestProbe<string>(system);
  const ref = system.spawn(Behaviors.setup<CounterMsg>((ctx) => new ClassCounter(ctx, signals.ref)), 'class-counter');
  ref.tell({ type: 'Get', replyTo: replies.ref });
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Get', replyTo: replies.ref });
  t.deepEqual(await replies.expectMessages(2), [0, 2]);
  t.is(await signals.expectMessage(), 'PostStop at weir://test/user/class-counter');
});

test('an AbstractBehavior becomes a functional behavior it returns', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<number>(system);
  class Handover extends AbstractBehavior<CounterMsg> {
    onMessage(): Behavior<CounterMsg> {
      return counter(10);
    }
  }
  const ref = system.spawn(Behaviors.setup<CounterMsg>((ctx) => new Handover(ctx)), 'handover');
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Increment' });
  ref.tell({ type: 'Get', replyTo: probe.ref });
  t.is(await probe.expectMessage(), 11);
});

for (const returned of ['same', 'unhandled'] as const) {
  test(`setup returning Behaviors.${returned} fails the actor with a TypeError naming it`, async (t) => {
    const { system, logs } = await createTestSystem(t);
    const watcher = new TestProbe<never>(system);
    const ref = system.spawn(
      Behaviors.setup<string>(() => Behaviors[returned]),
      'bad-setup',
    );
    watcher.watch(ref);
    ref.tell('hello');
    const { error } = await watcher.expectTerminated();
    t.true(error instanceof TypeError);
    t.is((error as Error).message, `setup of weir://test/user/bad-setup returned Behaviors.${returned}; it must return a behavior`);
    t.is(logs.matching('actor failed', 'error').length, 1);
  });
}

test('a setup returned by a handler runs its factory when the actor switches to it', async (t) => {
  const { system } = await createTestSystem(t);
  const probe = new TestProbe<string>(system);
  const ref = system.spawn(
    Behaviors.receiveMessage<string>(() =>
      Behaviors.setup<string>((ctx) => {
        probe.ref.tell(`factory ran in ${ctx.self.path}`);
        return Behaviors.receiveMessage((msg) => {
          probe.ref.tell(`second ${msg}`);
          return Behaviors.same;
        });
      }),
    ),
    'switcher',
  );
  ref.tell('first');
  ref.tell('next');
  t.deepEqual(await probe.expectMessages(2), ['factory ran in weir://test/user/switcher', 'second next']);
});
