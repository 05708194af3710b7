// parseFrame narrows a decoded rpc frame: it accepts every frame a weir system sends and names the
// kind and what is wrong with any other, with values described briefly and without throwing.
import test from 'ava';
import { WeirError } from '../../messages/errors.ts';
import { FrameKind, MAX_HELLO_ADDRESS_CHARS, PROTOCOL_VERSION, parseFrame, traceFilterProblem } from '../../messages/remoting.ts';
import { describeWireValue } from '../../messages/wire-values.ts';

const hello = { version: PROTOCOL_VERSION, address: 'weir://a@127.0.0.1:1', uid: 'u-1' };

test('parseFrame accepts every frame kind as a weir system writes it', (t) => {
  const good = [
    [FrameKind.Hello, hello],
    [FrameKind.HelloAck, hello],
    [FrameKind.Reject, { code: 'DUPLICATE', reason: 'a connection dialled by the lower address is in progress' }],
    [FrameKind.Envelopes, [['/user/x', '', null, { type: 'Ping' }]]],
    [FrameKind.Heartbeat],
    [FrameKind.HeartbeatAck],
    [FrameKind.Watch, '/user/x', 'remote:weir://b@127.0.0.1:2'],
    [FrameKind.Unwatch, '/temp/$1', 'k'],
    [FrameKind.Terminated, '/user/x', null],
    [FrameKind.Terminated, '/user/x', 'it failed'],
    [FrameKind.TraceSubscribe, 1, {}],
    [FrameKind.TraceSubscribe, 2, { types: ['Ping'], path: '/user' }],
    [FrameKind.TraceSubscribe, 3, { types: undefined, path: undefined }],
    [FrameKind.TraceUnsubscribe, 0],
    [FrameKind.TraceEvents, 1, []],
    [FrameKind.TraceEvents, 1, [], 12],
    [FrameKind.TraceSubscribe, 4, { job: 'j1', actor: '/user/**', type: 'Submit*' }],
  ];
  for (const frame of good) t.is(parseFrame(frame), frame as never, JSON.stringify(frame));
});

test('parseFrame names the kind and what is wrong with a frame that breaks the protocol', (t) => {
  const bad: Array<[unknown, string]> = [
    [null, 'a frame is null, not an array starting with its kind'],
    [[], 'a frame is an array of 0, not an array starting with its kind'],
    [{ 0: 1 }, 'a frame is an object, not an array starting with its kind'],
    [['Hello', hello], 'unknown frame kind "Hello"'],
    [[99], 'unknown frame kind 99'],
    [[FrameKind.Hello, { ...hello, uid: 7 }], 'Hello frame: the body is not {version, address, uid}'],
    [[FrameKind.HelloAck, { ...hello, address: 'a'.repeat(MAX_HELLO_ADDRESS_CHARS + 1) }], `HelloAck frame: the address has ${MAX_HELLO_ADDRESS_CHARS + 1} characters, over ${MAX_HELLO_ADDRESS_CHARS}`],
    [[FrameKind.Envelopes, { 0: [] }], 'Envelopes frame: the envelopes are an object, not a list'],
    [[FrameKind.Watch, '/user//x', 'k'], 'Watch frame: the path "/user//x" is not a local actor path like /user/name'],
    [[FrameKind.Watch, '/user/x', null], 'Watch frame: the watcher is null, not a string'],
    [[FrameKind.Terminated, '/user/x', 3], 'Terminated frame: the error is 3, not a string'],
    [[FrameKind.TraceEvents, 1, 'events'], 'TraceEvents frame: the events are "events", not a list'],
    [[FrameKind.TraceEvents, 1, [], -3], 'TraceEvents frame: the dropped count -3 is not a non-negative integer'],
    [[FrameKind.TraceEvents, 1, [], 0, 0], 'TraceEvents frame: 5 fields, not 4'],
  ];
  for (const [value, message] of bad) {
    const error = t.throws(() => parseFrame(value), { instanceOf: WeirError }, message);
    t.is(error?.code, 'MALFORMED_FRAME');
    t.is(error?.message, message);
  }
});

test('a trace filter has only types, an array of strings, and path, job, actor and type, strings of at most 256 characters', (t) => {
  t.is(traceFilterProblem({ types: [], path: '' }), undefined);
  t.is(traceFilterProblem({ types: { length: 1 } }), "the filter's types are an object, not an array of strings");
  t.is(traceFilterProblem([]), 'the filter is an array of 0, not an object');
  t.is(traceFilterProblem({ path: ['/user'] }), "the filter's path is an array of 1, not a string");
  t.is(traceFilterProblem({ job: 'j', actor: 'task-*', type: 'Step' }), undefined);
  t.is(traceFilterProblem({ type: 7 }), "the filter's type is 7, not a string");
  t.is(traceFilterProblem({ actor: '*'.repeat(257) }), "the filter's actor has 257 characters, over 256");
});

test('a wire value is described briefly, whatever it is', (t) => {
  t.is(describeWireValue('x'.repeat(50)), `"${'x'.repeat(40)}…" (50 characters)`);
  t.is(describeWireValue(2n ** 63n), '9223372036854775808n');
  t.is(describeWireValue(2n ** 640n), 'a BigInt of over 64 bits');
  const cycle: unknown[] = [];
  cycle.push(cycle);
  t.is(describeWireValue(cycle), 'an array of 1');
  t.is(describeWireValue(undefined), 'undefined');
  t.is(describeWireValue(Symbol('s')), 'symbol');
});
