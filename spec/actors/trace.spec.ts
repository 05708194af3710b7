import test from 'ava';
import { AGGREGATE_PERIOD_MS, type ActorRef, Behaviors, type TraceEvent, type TraceItem, markAggregated } from '../../actors/index.ts';
import { LOCAL_TRACE_FLUSH_MS } from '../../actors/trace.ts';
import { TestProbe, createManualTestSystem, createTestSystem, settle } from '../testkit/index.ts';

type PongerMsg = { readonly type: 'Ping'; readonly replyTo: ActorRef<PingerMsg> };
type PingerMsg = { readonly type: 'Start' } | { readonly type: 'Pong' };

async function pingPong(t: Parameters<typeof createManualTestSystem>[0]) {
  const { system, scheduler } = await createManualTestSystem(t);
  const done = new TestProbe<'done'>(system, 'done');
  const ponger = system.spawn(
    Behaviors.receiveMessage<PongerMsg>((msg) => {
      msg.replyTo.tell({ type: 'Pong' });
      return Behaviors.same;
    }),
    'ponger',
  );
  const pinger = system.spawn(
    Behaviors.receive<PingerMsg>((ctx, msg) => {
      if (msg.type === 'Start') ponger.tell({ type: 'Ping', replyTo: ctx.self });
      else done.ref.tell('done');
      return Behaviors.same;
    }),
    'pinger',
  );
  await settle();
  return { system, scheduler, pinger, done };
}

test('trace$ emits a local event per message, with the sending actor as from', async (t) => {
  const { system, scheduler, pinger, done } = await pingPong(t);
  scheduler.advance(1_234);
  const events: TraceEvent[] = [];
  const subscription = system.trace$.subscribe((event) => events.push(event));
  t.teardown(() => subscription.unsubscribe());
  pinger.tell({ type: 'Start' });
  await done.expectMessage();
  const local = { at: 1_234, remote: false, direction: 'local', system: 'test' } as const;
  t.deepEqual(events, [
    { ...local, from: undefined, to: 'weir://test/user/pinger', type: 'Start' },
    { ...local, from: 'weir://test/user/pinger', to: 'weir://test/user/ponger', type: 'Ping' },
    { ...local, from: 'weir://test/user/ponger', to: 'weir://test/user/pinger', type: 'Pong' },
    { ...local, from: 'weir://test/user/pinger', to: 'weir://test/user/done', type: 'string' },
  ]);
});

test('no trace events arrive after unsubscribe', async (t) => {
  const { system, pinger, done } = await pingPong(t);
  const events: TraceEvent[] = [];
  const subscription = system.trace$.subscribe((event) => events.push(event));
  pinger.tell({ type: 'Start' });
  await done.expectMessage();
  t.is(events.length, 4);
  subscription.unsubscribe();
  pinger.tell({ type: 'Start' });
  await done.expectMessage();
  t.is(events.length, 4);
});

test('traceHub is active only while someone subscribes to trace$', async (t) => {
  const { system } = await createTestSystem(t);
  t.false(system.traceHub.active);
  const first = system.trace$.subscribe(() => {});
  const second = system.trace$.subscribe(() => {});
  t.true(system.traceHub.active);
  first.unsubscribe();
  t.true(system.traceHub.active, 'one subscriber is left');
  second.unsubscribe();
  t.false(system.traceHub.active);
});

test('a message through a message adapter is traced with its own type, to the owning actor', async (t) => {
  const { system } = await createTestSystem(t);
  const adapters = new TestProbe<ActorRef<{ readonly type: 'External' }>>(system);
  const received = new TestProbe<string>(system);
  system.spawn(
    Behaviors.setup<string>((ctx) => {
      adapters.ref.tell(ctx.messageAdapter<{ readonly type: 'External' }>((msg) => `adapted ${msg.type}`));
      return Behaviors.receiveMessage((msg) => {
        received.ref.tell(msg);
        return Behaviors.same;
      });
    }),
    'owner',
  );
  const adapter = await adapters.expectMessage();
  const events: TraceEvent[] = [];
  const subscription = system.trace$.subscribe((event) => events.push(event));
  t.teardown(() => subscription.unsubscribe());
  adapter.tell({ type: 'External' });
  t.is(await received.expectMessage(), 'adapted External');
  t.like(events[0], { from: undefined, to: 'weir://test/user/owner', type: 'External', direction: 'local' });
});

test('trace$ completes when the system terminates', async (t) => {
  const { system } = await createTestSystem(t);
  let completed = false;
  system.trace$.subscribe({ complete: () => (completed = true) });
  await system.terminate();
  t.true(completed);
  t.false(system.traceHub.active);
});

test('items$ delivers only what its filter lets through, with job id and summary, at most its bound, and says how many it dropped', async (t) => {
  const { system, scheduler } = await createManualTestSystem(t);
  const sink = system.spawn(Behaviors.ignore<{ readonly type: string; readonly jobId?: string }>(), 'sink');
  const items: TraceItem[] = [];
  const subscription = system.traceHub.items$({ type: 'Ping' }, 3).subscribe((item) => items.push(item));
  t.teardown(() => subscription.unsubscribe());
  for (let n = 0; n < 5; n++) sink.tell({ type: 'Ping', jobId: 'j1' });
  sink.tell({ type: 'Pong' });
  t.deepEqual(items, [], 'nothing is delivered inside tell()');
  scheduler.advance(LOCAL_TRACE_FLUSH_MS);
  const ping = { kind: 'event', event: { at: 0, from: undefined, to: 'weir://test/user/sink', type: 'Ping', remote: false, direction: 'local', system: 'test', jobId: 'j1', summary: { type: 'Ping', jobId: 'j1' } } };
  t.deepEqual(items, [ping, ping, ping, { kind: 'dropped', system: 'test', count: 2 }]);
});

test('a self-message marked aggregated is not listed; the counts its actor reports come as one event per actor and type per second', async (t) => {
  const { system, scheduler } = await createManualTestSystem(t);
  const stepper = system.spawn(
    Behaviors.receive<{ readonly type: 'Step' }>((ctx, msg) => {
      if (ctx.system.traceHub.active) ctx.system.traceHub.aggregate(ctx.self.path, msg.type, 2.5);
      return Behaviors.same;
    }),
    'stepper',
  );
  await settle();
  const items: TraceItem[] = [];
  const subscription = system.traceHub.items$().subscribe((item) => items.push(item));
  t.teardown(() => subscription.unsubscribe());
  for (let n = 0; n < 4; n++) stepper.tell(markAggregated({ type: 'Step' }));
  await settle();
  scheduler.advance(LOCAL_TRACE_FLUSH_MS);
  t.deepEqual(items, [], 'no Step listed one by one');
  scheduler.advance(AGGREGATE_PERIOD_MS);
  const path = 'weir://test/user/stepper';
  t.deepEqual(items, [
    {
      kind: 'event',
      event: { at: AGGREGATE_PERIOD_MS, from: path, to: path, type: 'Step', remote: false, direction: 'local', system: 'test', aggregate: { count: 4, totalMs: 10, periodMs: AGGREGATE_PERIOD_MS } },
    },
  ]);
});
