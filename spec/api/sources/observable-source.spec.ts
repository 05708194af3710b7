import test from 'ava';
import { Observable, Subject, finalize, from, interval } from 'rxjs';
import { planJob } from '../../../api/internal.ts';
import { WeirError } from '../../../messages/errors.ts';
import { runVertex, stepToEnd, subtaskOf, within } from '../helpers.ts';

test('an observable that completes is a bounded run: every value goes through, then the subtask finishes', async (t) => {
  const plan = await planJob((env) => void env.fromObservable(() => from(['a', 'b', 'c'])).map((s) => s.toUpperCase()).print(), []);
  t.deepEqual((await runVertex(plan)).stdout, [['A', 'B', 'C']]);
  t.is(plan.graph.vertices[0].bounded, false, 'an observable source is declared unbounded: it may never complete');
  t.is(plan.graph.vertices[0].splits, undefined, 'and it reads no splits');
});

test('the observable factory runs in the subtask, at open(), not at planning', async (t) => {
  let made = 0;
  const plan = await planJob((env) => void env.fromObservable(() => (made++, from([1]))).print(), []);
  t.is(made, 0);
  const subtask = subtaskOf(plan);
  t.is(made, 0);
  await subtask.open();
  t.is(made, 1);
  await stepToEnd(subtask);
  await subtask.close();
});

test('an idle observable makes step wait until the next emission, then the values flow in order', async (t) => {
  const subject = new Subject<number>();
  const seen: number[] = [];
  const plan = await planJob((env) => void env.fromObservable(() => subject).sinkTo((n) => void seen.push(n)), []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  const idle = subtask.step(10);
  t.is(idle.kind, 'wait');
  let woke = false;
  if (idle.kind === 'wait') void idle.until.then(() => (woke = true));
  await Promise.resolve();
  t.false(woke);
  subject.next(1);
  subject.next(2);
  if (idle.kind === 'wait') await within(idle.until);
  t.true(woke);
  t.deepEqual(subtask.step(1), { kind: 'more' });
  t.deepEqual(seen, [1]);
  t.is(subtask.step(10).kind, 'wait');
  t.deepEqual(seen, [1, 2]);
  subject.next(3);
  subject.complete();
  t.deepEqual(subtask.step(10), { kind: 'finished' });
  t.deepEqual(seen, [1, 2, 3]);
  await subtask.close();
});

test('cancel() unsubscribes an unbounded observable and wakes a waiting step', async (t) => {
  let unsubscribed = false;
  const plan = await planJob((env) => void env.fromObservable(() => new Subject<number>().pipe(finalize(() => (unsubscribed = true)))).print(), []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  const idle = subtask.step(10);
  t.is(idle.kind, 'wait');
  subtask.cancel();
  t.true(unsubscribed);
  if (idle.kind === 'wait') await t.notThrowsAsync(within(idle.until));
  t.deepEqual(subtask.step(10), { kind: 'finished' });
  await subtask.close();
});

test('an unbounded interval runs until cancelled, and nothing is emitted after the cancel', async (t) => {
  const lines: string[] = [];
  let subscriptions = 0;
  let active = 0;
  const ticks = new Observable<number>((subscriber) => {
    subscriptions++;
    active++;
    const inner = interval(1).subscribe(subscriber);
    return () => {
      active--;
      inner.unsubscribe();
    };
  });
  const plan = await planJob((env) => void env.fromObservable(() => ticks).map((n) => `tick ${n}`).print(), []);
  const subtask = subtaskOf(plan, { stdout: (line) => lines.push(line) });
  await subtask.open();
  while (lines.length < 3) {
    const result = subtask.step(10);
    if (result.kind === 'wait') await within(result.until);
  }
  subtask.cancel();
  await subtask.close();
  const printed = lines.length;
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.deepEqual(lines.slice(0, 3), ['tick 0', 'tick 1', 'tick 2']);
  t.is(lines.length, printed);
  t.is(subscriptions, 1);
  t.is(active, 0);
});

test('an observable error fails the step naming the source, after the values before it went through', async (t) => {
  const seen: number[] = [];
  const plan = await planJob((env) => {
    env
      .fromObservable(() => new Observable<number>((subscriber) => (subscriber.next(1), subscriber.error(new Error('feed lost')))))
      .uid('feed')
      .sinkTo((n) => void seen.push(n));
  }, []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  const error = t.throws(() => subtask.step(10), { instanceOf: WeirError });
  t.deepEqual(seen, [1]);
  t.is(error.code, 'USER_FUNCTION_FAILED');
  t.is(error.message, 'operator "Source: Observable" (id "feed") got an error from its observable: feed lost');
  await subtask.close();
});

test('a factory that throws or returns no observable fails open() naming the source', async (t) => {
  const throwing = await planJob((env) => void env.fromObservable<number>(() => { throw new Error('no feed'); }).print(), []);
  const thrown = await t.throwsAsync(subtaskOf(throwing).open(), { instanceOf: WeirError });
  t.is(thrown.message, 'operator "Source: Observable" (id "source-observable-0") failed in its observable factory: no feed');
  const empty = await planJob((env) => void env.fromObservable(() => undefined as never).print(), []);
  const returned = await t.throwsAsync(subtaskOf(empty).open(), { instanceOf: WeirError });
  t.is(returned.code, 'INVALID_FUNCTION');
  t.is(returned.message, 'operator "Source: Observable" (id "source-observable-0"): the factory must return an Observable; it returned undefined');
});

test('a full buffer stops reading: the source unsubscribes and the subtask fails with SOURCE_BUFFER_OVERFLOW', async (t) => {
  const subject = new Subject<number>();
  const seen: number[] = [];
  const plan = await planJob((env) => void env.fromObservable(() => subject, { bufferCapacity: 3 }).sinkTo((n) => void seen.push(n)), []);
  t.deepEqual(plan.graph.vertices[0].operators[0].config, { bufferCapacity: 3 });
  const subtask = subtaskOf(plan);
  await subtask.open();
  for (const value of [1, 2, 3]) subject.next(value);
  t.true(subject.observed);
  subject.next(4);
  t.false(subject.observed, 'the source unsubscribed');
  const error = t.throws(() => subtask.step(10), { instanceOf: WeirError });
  t.deepEqual(seen, [1, 2, 3], 'what was buffered still went through');
  t.is(error.code, 'SOURCE_BUFFER_OVERFLOW');
  t.is(
    error.message,
    'operator "Source: Observable" (id "source-observable-0"): the observable pushed more than 3 records ahead of the chain; ' +
      'the source unsubscribed (raise fromObservable bufferCapacity, or slow the observable down)',
  );
  await subtask.close();
});

test('an observable that overflows while subscribing is unsubscribed at once', async (t) => {
  let emitted = 0;
  const plan = await planJob((env) => {
    env.fromObservable(() => new Observable<number>((subscriber) => { for (let n = 0; n < 10 && !subscriber.closed; n++) (emitted++, subscriber.next(n)); }), { bufferCapacity: 2 }).print();
  }, []);
  const subtask = subtaskOf(plan);
  await subtask.open();
  t.is(emitted, 10, 'a synchronous observable cannot be stopped mid-subscribe');
  t.is(t.throws(() => subtask.step(100), { instanceOf: WeirError }).code, 'SOURCE_BUFFER_OVERFLOW');
  await subtask.close();
});
