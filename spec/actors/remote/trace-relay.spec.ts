// The traced side of a remote trace: nothing a subscription does can throw into the trace hub. A
// subscription that fails (its filter throws, its frames cannot be sent) ends alone, logged naming
// the peer; the hub and every other subscription go on.
import test from 'ava';
import { Logger } from '../../../actors/index.ts';
import type { Association } from '../../../actors/remote/association.ts';
import { MAX_TRACE_SUBSCRIPTIONS_PER_PEER, TRACE_BATCH, TRACE_FLUSH_MS, TraceRelay } from '../../../actors/remote/trace-relay.ts';
import { MAX_BUFFERED_TRACE_EVENTS } from '../../../actors/trace-tap.ts';
import { type TraceEvent, type TraceFilter, TraceHub, type TraceItem } from '../../../actors/trace.ts';
import { type Frame, FrameKind } from '../../../messages/remoting.ts';
import { ManualClock, captureLog, escaped, sleep, uncaughtExceptions } from './helpers.ts';

const PEER = 'weir://peer@127.0.0.1:1';

function relay() {
  const hub = new TraceHub('s');
  const clock = new ManualClock();
  const log = captureLog();
  const traces = new TraceRelay(hub, clock, new Logger({ level: 'debug', sink: log.sink }));
  const sent: Frame[] = [];
  let failSends = false;
  let room = true;
  const association = {
    address: PEER,
    path: { address: { system: 'peer' } },
    state: 'connected',
    hasTraceRoom: () => room,
    sendControl: (frame: Frame) => {
      if (failSends) throw new Error('the link is broken');
      sent.push(frame);
    },
  } as unknown as Association;
  return { hub, clock, log, traces, sent, association, breakSends: () => (failSends = true), setRoom: (value: boolean) => (room = value) };
}

const event = (type: string): TraceEvent => ({ at: 1, to: '/user/x', type, remote: false, direction: 'local', system: 's' });

test('a subscription whose filter throws ends alone, logged naming the peer; the others still get their events', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { hub, clock, log, traces, sent, association } = relay();
  const throwing = {
    get types(): readonly string[] {
      throw new Error('the filter broke');
    },
  } as TraceFilter;
  traces.serve(association, 1, throwing);
  traces.serve(association, 2, { types: ['Ping'] });
  hub.emit(event('Ping'));
  hub.emit(event('Pong'));
  hub.emit(event('Ping'));
  await clock.advance(TRACE_FLUSH_MS);
  await sleep(20); // RxJS rethrows an unhandled error in a timer
  t.deepEqual(escaped(uncaught), []);
  t.deepEqual(sent, [[FrameKind.TraceEvents, 2, [event('Ping'), event('Ping')], 0]]);
  t.like(log.records, [{ level: 'error', peer: PEER, msg: `ended trace subscription 1 of ${PEER}: the filter broke` }]);
  t.true(hub.active, 'subscription 2 still traces');
});

test('a subscription whose frames cannot be sent ends alone, logged; the hub goes on', async (t) => {
  const uncaught = uncaughtExceptions(t);
  const { hub, clock, log, traces, association, breakSends } = relay();
  traces.serve(association, 1, {});
  breakSends();
  hub.emit(event('Ping'));
  await clock.advance(TRACE_FLUSH_MS);
  hub.emit(event('Ping'));
  await clock.advance(TRACE_FLUSH_MS);
  t.deepEqual(escaped(uncaught), []);
  t.deepEqual(log.records.map((record) => record.msg), [`ended trace subscription 1 of ${PEER}: the link is broken`]);
  t.false(hub.active, 'the failed subscription no longer traces');
});

test(`a peer holds at most ${MAX_TRACE_SUBSCRIPTIONS_PER_PEER} trace subscriptions; more are refused, logged`, (t) => {
  const { hub, log, traces, association } = relay();
  for (let id = 0; id <= MAX_TRACE_SUBSCRIPTIONS_PER_PEER; id++) traces.serve(association, id, {});
  t.like(log.records, [{ level: 'warn', peer: PEER, msg: `refused trace subscription ${MAX_TRACE_SUBSCRIPTIONS_PER_PEER} of ${PEER}: it holds ${MAX_TRACE_SUBSCRIPTIONS_PER_PEER}, the most allowed` }]);
  traces.stopServing(association, 0);
  traces.serve(association, 99, {});
  t.is(log.records.length, 1, 'room again once one ended');
  traces.forget(association, 'spec over');
  t.false(hub.active);
});

test('trace events from a peer that do not have the shape of one are dropped, logged; the rest reach the subscriber', async (t) => {
  const { log, traces, association } = relay();
  const received: TraceItem[] = [];
  const subscription = traces.subscribe(association, undefined).subscribe((item) => received.push(item));
  t.teardown(() => subscription.unsubscribe());
  traces.received(association, 1, [event('Ping'), { ...event('Pong'), type: 7 }, null, { ...event('Pong'), from: ['x'] }, event('Pong')], 0);
  t.deepEqual(received, [
    { kind: 'event', event: event('Ping') },
    { kind: 'event', event: event('Pong') },
  ]);
  t.like(log.records, [{ level: 'warn', code: 'MALFORMED_FRAME', peer: PEER, msg: `dropped 3 of 5 trace events from ${PEER}: not {at, to, type, remote, direction, system}` }]);
});

test('a link without room for trace frames holds them back; the traced side keeps at most its bound and counts the rest, and the count reaches the subscriber', async (t) => {
  const { hub, clock, traces, sent, association, setRoom } = relay();
  traces.serve(association, 1, {});
  setRoom(false);
  for (let n = 0; n < MAX_BUFFERED_TRACE_EVENTS + 10; n++) hub.emit(event('Ping'));
  await clock.advance(TRACE_FLUSH_MS * 3);
  t.deepEqual(sent, [], 'nothing goes while cluster messages fill the link');
  setRoom(true);
  await clock.advance(TRACE_FLUSH_MS);
  const frames = sent as unknown as ReadonlyArray<readonly [number, number, readonly TraceEvent[], number]>;
  t.is(frames.reduce((total, frame) => total + frame[2].length, 0), MAX_BUFFERED_TRACE_EVENTS);
  t.is(frames.reduce((total, frame) => total + frame[3], 0), 10);
  t.true(frames.every((frame) => frame[2].length <= TRACE_BATCH));

  const received: TraceItem[] = [];
  const subscription = traces.subscribe(association, undefined).subscribe((item) => received.push(item));
  t.teardown(() => subscription.unsubscribe());
  traces.received(association, 1, [event('Ping')], 10);
  t.deepEqual(received, [
    { kind: 'event', event: event('Ping') },
    { kind: 'dropped', system: 'peer', count: 10 },
  ]);
});

test('events are summarised and given their job id on the traced side, only for what the filter lets through', async (t) => {
  const { hub, clock, traces, sent, association } = relay();
  traces.serve(association, 1, { type: 'Submit*' });
  let summarised = 0;
  const payload = (type: string) => ({
    type,
    jobId: 'j1',
    get bundle() {
      summarised++;
      return 'x'.repeat(1000);
    },
  });
  hub.emit(event('SubmitJob'), payload('SubmitJob'));
  hub.emit(event('CancelJob'), payload('CancelJob'));
  await clock.advance(TRACE_FLUSH_MS);
  t.is(summarised, 1, 'the CancelJob the filter refused was never summarised');
  const [frame] = sent as unknown as ReadonlyArray<readonly [number, number, readonly TraceEvent[], number]>;
  t.deepEqual(frame[2], [{ ...event('SubmitJob'), jobId: 'j1', summary: { type: 'SubmitJob', jobId: 'j1', bundle: `${'x'.repeat(96)}… (1000 chars)` } }]);
});
