import test from 'ava';
import { type ActorRef, type Behavior, Behaviors, restart, supervise } from '../../actors/index.ts';
import { TestProbe, createManualTestSystem, settle } from '../testkit/index.ts';

type TimerMsg =
  | { readonly type: 'StartSingle'; readonly key: string; readonly delayMs: number }
  | { readonly type: 'StartFixed'; readonly key: string; readonly intervalMs: number; readonly initialDelayMs?: number }
  | { readonly type: 'Cancel'; readonly key: string }
  | { readonly type: 'IsActive'; readonly key: string; readonly replyTo: ActorRef<boolean> }
  | { readonly type: 'Tick'; readonly key: string; readonly generation: string }
  | { readonly type: 'Crash' }
  | { readonly type: 'Stop' };

/** Starts and cancels timers on request and reports each tick as "key/generation". */
function timerActor(ticks: ActorRef<string>): Behavior<TimerMsg> {
  return Behaviors.withTimers<TimerMsg>((timers) =>
    Behaviors.receiveMessage<TimerMsg>((msg) => {
      switch (msg.type) {
        case 'StartSingle':
          timers.startSingleTimer(msg.key, { type: 'Tick', key: msg.key, generation: `single ${msg.delayMs}` }, msg.delayMs);
          return Behaviors.same;
        case 'StartFixed':
          timers.startTimerAtFixedRate(msg.key, { type: 'Tick', key: msg.key, generation: `fixed ${msg.intervalMs}` }, msg.intervalMs, msg.initialDelayMs);
          return Behaviors.same;
        case 'Cancel':
          timers.cancel(msg.key);
          return Behaviors.same;
        case 'IsActive':
          msg.replyTo.tell(timers.isTimerActive(msg.key));
          return Behaviors.same;
        case 'Tick':
          ticks.tell(`${msg.key}/${msg.generation}`);
          return Behaviors.same;
        case 'Crash':
          throw new Error('crash');
        case 'Stop':
          return Behaviors.stopped;
      }
    }),
  );
}

async function setup(t: Parameters<typeof createManualTestSystem>[0]) {
  const { system, scheduler } = await createManualTestSystem(t);
  const ticks = new TestProbe<string>(system);
  const ref = system.spawn(supervise(timerActor(ticks.ref), restart()), 'timed');
  /** Moves the clock and lets the actor handle what fell due; returns the ticks it reported. */
  const advance = async (ms: number): Promise<string[]> => {
    const before = ticks.receivedCount;
    scheduler.advance(ms);
    await settle();
    return ticks.expectMessages(ticks.receivedCount - before);
  };
  return { system, scheduler, ticks, ref, advance };
}

test('a single timer fires once, after its delay', async (t) => {
  const { ref, advance } = await setup(t);
  ref.tell({ type: 'StartSingle', key: 'once', delayMs: 100 });
  await settle();
  t.deepEqual(await advance(99), []);
  t.deepEqual(await advance(1), ['once/single 100']);
  t.deepEqual(await advance(10_000), []);
});

test('a fixed-rate timer fires after its initial delay, then every interval', async (t) => {
  const { ref, advance } = await setup(t);
  ref.tell({ type: 'StartFixed', key: 'rate', intervalMs: 100, initialDelayMs: 50 });
  await settle();
  t.deepEqual(await advance(49), []);
  t.deepEqual(await advance(1), ['rate/fixed 100']);
  t.is((await advance(99)).length, 0);
  t.is((await advance(1)).length, 1);
  t.is((await advance(1_000)).length, 10);
});

test('starting a timer under a key in use replaces the old timer', async (t) => {
  const { ref, advance } = await setup(t);
  ref.tell({ type: 'StartSingle', key: 'k', delayMs: 100 });
  ref.tell({ type: 'StartSingle', key: 'k', delayMs: 300 });
  await settle();
  t.deepEqual(await advance(1_000), ['k/single 300']);
});

test('cancel prevents delivery even when the tick is already in the mailbox', async (t) => {
  const { ref, scheduler, advance, ticks } = await setup(t);
  ref.tell({ type: 'StartSingle', key: 'single', delayMs: 100 });
  ref.tell({ type: 'StartFixed', key: 'fixed', intervalMs: 100 });
  ref.tell({ type: 'StartSingle', key: 'control', delayMs: 100 });
  await settle();
  // The cancels are queued first, then the ticks fall due behind them before the actor runs.
  ref.tell({ type: 'Cancel', key: 'single' });
  ref.tell({ type: 'Cancel', key: 'fixed' });
  scheduler.advance(100);
  await settle();
  t.deepEqual(await ticks.expectMessages(ticks.receivedCount), ['control/single 100']);
  t.deepEqual(await advance(1_000), []);
});

test('a tick of a replaced timer already in the mailbox is dropped', async (t) => {
  const { ref, advance } = await setup(t);
  ref.tell({ type: 'StartSingle', key: 'k', delayMs: 100 });
  await settle();
  // The replacement is queued first, then the old timer's tick falls due behind it.
  ref.tell({ type: 'StartSingle', key: 'k', delayMs: 50 });
  t.deepEqual(await advance(100), []);
  t.deepEqual(await advance(50), ['k/single 50']);
});

test('isTimerActive is true while a timer is pending, false once a single timer fired or a timer was cancelled', async (t) => {
  const { system, ref, advance } = await setup(t);
  const replies = new TestProbe<boolean>(system);
  const isActive = async (key: string): Promise<boolean> => {
    ref.tell({ type: 'IsActive', key, replyTo: replies.ref });
    return replies.expectMessage();
  };
  t.false(await isActive('single'));
  ref.tell({ type: 'StartSingle', key: 'single', delayMs: 100 });
  ref.tell({ type: 'StartFixed', key: 'fixed', intervalMs: 100 });
  t.true(await isActive('single'));
  t.true(await isActive('fixed'));
  t.is((await advance(100)).length, 2);
  t.false(await isActive('single'));
  t.true(await isActive('fixed'));
  ref.tell({ type: 'Cancel', key: 'fixed' });
  t.false(await isActive('fixed'));
});

test('timers are cancelled when the actor stops', async (t) => {
  const { system, scheduler, ref, ticks } = await setup(t);
  ref.tell({ type: 'StartFixed', key: 'rate', intervalMs: 100 });
  ref.tell({ type: 'StartSingle', key: 'once', delayMs: 100 });
  await settle();
  t.is(scheduler.pendingCount, 2);
  ref.tell({ type: 'Stop' });
  await settle();
  t.is(scheduler.pendingCount, 0);
  scheduler.advance(1_000);
  await settle();
  t.is(ticks.receivedCount, 0);
  t.is(system.deadLetterCount, 0);
});

test('timers are cancelled on restart, and a tick already in the mailbox is dropped', async (t) => {
  const { scheduler, ref, ticks, advance } = await setup(t);
  ref.tell({ type: 'StartFixed', key: 'rate', intervalMs: 100 });
  ref.tell({ type: 'StartSingle', key: 'once', delayMs: 100 });
  await settle();
  ref.tell({ type: 'Crash' });
  scheduler.advance(100);
  await settle();
  t.is(scheduler.pendingCount, 0);
  t.deepEqual(await advance(1_000), []);
  t.is(ticks.receivedCount, 0);
  ref.tell({ type: 'StartSingle', key: 'once', delayMs: 10 });
  await settle();
  t.deepEqual(await advance(10), ['once/single 10'], 'the restarted actor can use its timers again');
});

test('a fixed-rate timer with an interval of 0 ms is refused with a RangeError', async (t) => {
  const { system } = await createManualTestSystem(t);
  const errors = new TestProbe<string>(system);
  system.spawn(
    Behaviors.withTimers<string>((timers) => {
      try {
        timers.startTimerAtFixedRate('spin', 'tick', 0);
      } catch (error) {
        errors.ref.tell(`${(error as Error).name}: ${(error as Error).message}`);
      }
      return Behaviors.ignore();
    }),
    'spinner',
  );
  t.is(await errors.expectMessage(), 'RangeError: timer interval must be > 0 ms, got 0');
});
