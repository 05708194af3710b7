import test from 'ava';
import { type ActorRef, type Result, Behaviors, ask, resume, supervise } from '../../actors/index.ts';
import { WeirError } from '../../messages/errors.ts';
import { TestProbe, createManualTestSystem, createTestSystem, settle } from '../testkit/index.ts';

interface Query {
  readonly type: 'Query';
  readonly question: string;
  readonly replyTo: ActorRef<Answer>;
}
interface Answer {
  readonly type: 'Answer';
  readonly text: string;
}

const oracle = Behaviors.receiveMessage<Query>((msg) => {
  msg.replyTo.tell({ type: 'Answer', text: `answer to ${msg.question}` });
  return Behaviors.same;
});

const query = (question: string) => (replyTo: ActorRef<Answer>): Query => ({ type: 'Query', question, replyTo });

test('ask resolves with the reply sent to replyTo', async (t) => {
  const { system } = await createTestSystem(t);
  const ref = system.spawn(oracle, 'oracle');
  const answer = await ask(ref, query('life'), 1_000);
  t.deepEqual(answer, { type: 'Answer', text: 'answer to life' });
});

test('ask rejects with ASK_TIMEOUT naming the target and the request type once the timeout passes', async (t) => {
  const { system, scheduler } = await createManualTestSystem(t);
  const silent = new TestProbe<Query>(system, 'silent');
  let outcome: unknown = 'pending';
  const pending = ask(silent.ref, query('anyone?'), 500);
  pending.catch((error: unknown) => (outcome = error));
  await silent.expectMessage();
  scheduler.advance(499);
  await settle();
  t.is(outcome, 'pending');
  scheduler.advance(1);
  const error = await t.throwsAsync(pending, { instanceOf: WeirError });
  t.is(error.code, 'ASK_TIMEOUT');
  t.is(error.message, 'ask to weir://test/user/silent with "Query" got no reply within 500 ms');
});

test('a reply that comes after the ask timed out goes to dead letters', async (t) => {
  const { system, scheduler, logs } = await createManualTestSystem(t);
  const slow = new TestProbe<Query>(system, 'slow');
  const pending = ask(slow.ref, query('late?'), 100);
  const request = await slow.expectMessage();
  scheduler.advance(100);
  t.is((await t.throwsAsync(pending, { instanceOf: WeirError })).code, 'ASK_TIMEOUT');
  request.replyTo.tell({ type: 'Answer', text: 'too late' });
  t.is(system.deadLetterCount, 1);
  t.is(logs.matching(`dead letter: Answer to ${request.replyTo.path} (ask already completed)`).length, 1);
});

test('only the first reply completes an ask; a second reply goes to dead letters', async (t) => {
  const { system, logs } = await createTestSystem(t);
  const twice = system.spawn(
    Behaviors.receiveMessage<Query>((msg) => {
      msg.replyTo.tell({ type: 'Answer', text: 'first' });
      msg.replyTo.tell({ type: 'Answer', text: 'second' });
      return Behaviors.same;
    }),
    'twice',
  );
  t.is((await ask(twice, query('q'), 1_000)).text, 'first');
  t.is(system.deadLetterCount, 1);
  t.is(logs.matching('dead letter: Answer').length, 1);
  t.is(logs.matching('ask already completed').length, 1);
});

test('ask rejects with the error that kept the request from being sent', async (t) => {
  const { system } = await createTestSystem(t);
  const full = system.spawn(Behaviors.ignore<Query>(), 'full', { mailbox: { capacity: 1, overflow: 'fail-sender' } });
  full.tell({ type: 'Query', question: 'fills the mailbox', replyTo: system.resolve<Answer>('weir://test/user/nobody') });
  const refused = await t.throwsAsync(ask(full, query('one too many'), 1_000), { instanceOf: WeirError });
  t.is(refused.code, 'MAILBOX_FULL');
  const thrown = await t.throwsAsync(
    ask(full, () => {
      throw new RangeError('cannot build the request');
    }, 1_000),
    { instanceOf: RangeError },
  );
  t.is(thrown.message, 'cannot build the request');
});

type AskerMsg = { readonly type: 'Start'; readonly question: string } | { readonly type: 'Got'; readonly result: Result<Answer> };

function asker(target: ActorRef<Query>, report: ActorRef<string>, timeoutMs: number) {
  return Behaviors.receive<AskerMsg>((ctx, msg) => {
    switch (msg.type) {
      case 'Start':
        ctx.ask(target, query(msg.question), timeoutMs, (result): AskerMsg => ({ type: 'Got', result }));
        return Behaviors.same;
      case 'Got':
        if (msg.result.ok) report.tell(`reply ${msg.result.value.text}`);
        else report.tell(`failure ${(msg.result.error as WeirError).code}`);
        return Behaviors.same;
    }
  });
}

test('ctx.ask delivers the reply to the asking actor as a message', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const ref = system.spawn(asker(system.spawn(oracle, 'oracle'), report.ref, 1_000), 'asker');
  ref.tell({ type: 'Start', question: 'why' });
  t.is(await report.expectMessage(), 'reply answer to why');
});

test('ctx.ask delivers a timeout to the asking actor as a failed result with ASK_TIMEOUT', async (t) => {
  const { system, scheduler } = await createManualTestSystem(t);
  const report = new TestProbe<string>(system);
  const silent = new TestProbe<Query>(system);
  const ref = system.spawn(asker(silent.ref, report.ref, 250), 'asker');
  ref.tell({ type: 'Start', question: 'hello?' });
  await silent.expectMessage();
  scheduler.advance(250);
  t.is(await report.expectMessage(), 'failure ASK_TIMEOUT');
});

type PipeMsg = { readonly type: 'Run'; readonly work: Promise<number> } | { readonly type: 'Done'; readonly result: Result<number> };

function piper(report: ActorRef<string>) {
  return Behaviors.receive<PipeMsg>((ctx, msg) => {
    switch (msg.type) {
      case 'Run':
        ctx.pipeToSelf(msg.work, (result): PipeMsg => ({ type: 'Done', result }));
        return Behaviors.same;
      case 'Done':
        report.tell(msg.result.ok ? `value ${msg.result.value}` : `error ${(msg.result.error as Error).message}`);
        return Behaviors.same;
    }
  });
}

test('pipeToSelf delivers a resolved value and a rejection as messages to self', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const ref = system.spawn(piper(report.ref), 'piper');
  ref.tell({ type: 'Run', work: Promise.resolve(42) });
  t.is(await report.expectMessage(), 'value 42');
  ref.tell({ type: 'Run', work: Promise.reject(new Error('no luck')) });
  t.is(await report.expectMessage(), 'error no luck');
});

test('a piped outcome that finds its actor stopped is a dead letter named PipedResult or PipedFailure, not by its value', async (t) => {
  const { system } = await createTestSystem(t);
  const letters: string[] = [];
  system.deadLetters$.subscribe((letter) => letters.push(`${letter.type} (${letter.reason})`));
  let settleWork = (): void => undefined;
  let failWork = (): void => undefined;
  const resolved = new Promise<number>((resolve) => (settleWork = () => resolve(7)));
  const rejected = new Promise<number>((_, reject) => (failWork = () => reject(new Error('late'))));
  const ref = system.spawn(
    Behaviors.receive<PipeMsg | { readonly type: 'Stop' }>((ctx, msg) => {
      if (msg.type === 'Stop') return Behaviors.stopped;
      if (msg.type === 'Run') ctx.pipeToSelf(msg.work, (result): PipeMsg => ({ type: 'Done', result }));
      return Behaviors.same;
    }),
    'short-lived',
  );
  ref.tell({ type: 'Run', work: resolved });
  ref.tell({ type: 'Run', work: rejected });
  ref.tell({ type: 'Stop' });
  await settle();
  settleWork();
  failWork();
  await settle();
  t.deepEqual(letters, ['PipedResult (recipient stopped)', 'PipedFailure (recipient stopped)']);
});

test('a piped outcome is traced as PipedResult, not by the type of its value', async (t) => {
  const { system } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const ref = system.spawn(piper(report.ref), 'piper');
  const types: string[] = [];
  const subscription = system.trace$.subscribe((event) => {
    if (event.to === ref.path) types.push(event.type);
  });
  t.teardown(() => subscription.unsubscribe());
  ref.tell({ type: 'Run', work: Promise.resolve(42) });
  t.is(await report.expectMessage(), 'value 42');
  t.deepEqual(types, ['Run', 'PipedResult']);
});

test('pipeToSelf runs toMessage in the actor’s turn, under its supervision', async (t) => {
  const { system, logs } = await createTestSystem(t);
  const report = new TestProbe<string>(system);
  const ref = system.spawn(
    supervise(
      Behaviors.receive<PipeMsg | { readonly type: 'Ping' }>((ctx, msg) => {
        switch (msg.type) {
          case 'Run':
            ctx.pipeToSelf(msg.work, () => {
              throw new Error('toMessage failed');
            });
            return Behaviors.same;
          case 'Done':
            return Behaviors.same;
          case 'Ping':
            report.ref.tell('pong');
            return Behaviors.same;
        }
      }),
      resume(),
    ),
    'careless',
  );
  ref.tell({ type: 'Run', work: Promise.resolve(1) });
  await settle();
  ref.tell({ type: 'Ping' });
  t.is(await report.expectMessage(), 'pong');
  const [failure] = logs.matching('actor failed', 'error');
  t.is(failure?.path, 'weir://test/user/careless');
  t.like(failure?.error, { message: 'toMessage failed' });
});
