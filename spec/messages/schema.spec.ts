// The schema vocabulary: what each schema accepts, and errors that name the field path, what was
// expected and what came.
import test from 'ava';
import type { ActorRef } from '../../messages/actor-ref.ts';
import {
  actorRef,
  arrayOf,
  count,
  describeValue,
  integer,
  literal,
  message,
  nullable,
  number,
  numberWithin,
  object,
  optional,
  positiveInteger,
  recordOf,
  safeId,
  string,
  unknownValue,
  validators,
} from '../../messages/schema.ts';

const ref = { path: 'weir://client@127.0.0.1:1/user/sink', tell: () => {} } as unknown as ActorRef<unknown>;

interface Vertex {
  readonly name: string;
  readonly parallelism: number;
}
interface Submit {
  readonly type: 'Submit';
  readonly jobId: string;
  readonly graph: { readonly vertices: readonly Vertex[] };
  readonly planParallelism?: number;
  readonly replyTo: ActorRef<unknown>;
}

const Submit = message<Submit>('Submit', {
  jobId: safeId('a job id'),
  graph: object({ vertices: arrayOf(object<Vertex>({ name: string, parallelism: positiveInteger })) }),
  planParallelism: optional(positiveInteger),
  replyTo: actorRef(),
});

const valid: Submit = {
  type: 'Submit',
  jobId: 'job-1',
  graph: { vertices: [{ name: 'a', parallelism: 1 }, { name: 'b', parallelism: 2 }, { name: 'c', parallelism: 3 }] },
  replyTo: ref,
};

test('an error names the field path from the message tag, what was expected and what came', (t) => {
  const bad = { ...valid, graph: { vertices: [valid.graph.vertices[0], valid.graph.vertices[1], { name: 'c', parallelism: 'x' }] } };
  t.is(Submit.validate(bad), 'Submit.graph.vertices[2].parallelism: expected a positive integer, got "x"');
  t.is(Submit.validate({ ...valid, replyTo: undefined }), 'Submit.replyTo: expected an actor ref, got nothing');
  t.is(Submit.validate({ ...valid, graph: [] }), 'Submit.graph: expected an object, got an array of 0');
  t.is(Submit.validate({ ...valid, jobId: 'a/b' }), `Submit.jobId: expected a job id (letters, digits, '_', '-', '.'; not starting with '.'; at most 128 characters), got "a/b"`);
});

test('a valid message passes, optional fields may be absent, and unknown extra fields are allowed', (t) => {
  t.is(Submit.explain(valid, 'Submit'), undefined);
  t.is(Submit.validate({ ...valid, planParallelism: 4 }), undefined);
  t.is(Submit.validate({ ...valid, addedByANewerPeer: true }), undefined);
  t.true(Submit.test(valid));
});

test('optional is absent, not null; nullable is null, not absent', (t) => {
  t.is(Submit.validate({ ...valid, planParallelism: null }), 'Submit.planParallelism: expected a positive integer, got null');
  const Holder = object<{ readonly at: number | null }>({ at: nullable(number) });
  t.true(Holder.test({ at: null }));
  t.is(Holder.explain({}, 'Holder'), 'Holder.at: expected a finite number, got nothing');
});

test('numbers: finite only, and integers within their bounds', (t) => {
  t.false(number.test(Number.NaN));
  t.false(number.test(Infinity));
  t.true(count.test(0));
  t.is(count.explain(-1, 'n'), 'n: expected a non-negative integer, got -1');
  t.is(positiveInteger.explain(1.5, 'n'), 'n: expected a positive integer, got 1.5');
  t.is(integer(0, 4096).explain(4097, 'slots'), 'slots: expected an integer from 0 to 4096, got 4097');
  t.is(integer(-3).explain('3', 'n'), 'n: expected an integer >= -3, got "3"');
});

test('numberWithin takes finite numbers in its range, its lower bound excluded on request', (t) => {
  const fraction = numberWithin(0, 1);
  t.true(fraction.test(0) && fraction.test(1) && fraction.test(0.5));
  t.is(fraction.explain(1.5, 'jitterFactor'), 'jitterFactor: expected a finite number >= 0 and <= 1, got 1.5');
  const multiplier = numberWithin(1, Infinity, { aboveMin: true });
  t.true(multiplier.test(1.01));
  t.is(multiplier.explain(1, 'backoffMultiplier'), 'backoffMultiplier: expected a finite number > 1, got 1');
  t.is(multiplier.explain(Infinity, 'backoffMultiplier'), 'backoffMultiplier: expected a finite number > 1, got Infinity');
});

test('literal accepts exactly its values and lists them', (t) => {
  const mode = literal('STREAMING', 'BATCH');
  t.true(mode.test('BATCH'));
  t.is(mode.explain('batch', 'mode'), 'mode: expected one of "STREAMING", "BATCH", got "batch"');
  t.is(literal('Only').explain(1, 'type'), 'type: expected "Only", got 1');
});

test('a safe id refuses what cannot be an actor name or a file name', (t) => {
  const id = safeId('an id');
  for (const good of ['job-1', '0b6b7c1e-5d8a-4a3f-9e2b-1c2d3e4f5a6b', 'a.b_c', '-x', 'x'.repeat(128)]) t.true(id.test(good), good);
  for (const bad of ['a/b', '..', '.hidden', '', 'x'.repeat(129), 'a b', 'a\\b', 'ü', 42]) t.false(id.test(bad), String(bad));
});

test('an actor ref is an object with a string path and a tell function', (t) => {
  const schema = actorRef();
  t.true(schema.test(ref));
  t.false(schema.test({ path: ref.path }));
  t.false(schema.test(null));
  t.false(schema.test(ref.path));
  t.is(schema.explain({ tell: ref.tell }, 'replyTo'), 'replyTo: expected an actor ref, got an object');
});

test('arrays and records name the failing element; contents of unknown shape are not walked', (t) => {
  t.is(arrayOf(string).explain(['a', 2], 'args'), 'args[1]: expected a string, got 2');
  t.is(recordOf(count).explain({ a: 1, b: -1 }, 'counts'), 'counts.b: expected a non-negative integer, got -1');
  t.is(recordOf(count).explain([], 'counts'), 'counts: expected an object of a non-negative integer, got an array of 0');
  t.true(arrayOf(unknownValue).test([undefined, () => 1, Symbol('s')]));
  t.false(arrayOf(unknownValue).test({ length: 1 }));
});

test('values in errors are cut short', (t) => {
  t.is(describeValue('x'.repeat(100)), `"${'x'.repeat(40)}..." (100 characters)`);
  t.is(describeValue(10n), '10n');
  t.is(describeValue([1, 2]), 'an array of 2');
  t.is(describeValue(null), 'null');
});

test('validators maps each message schema to its tag for the registry', (t) => {
  const byTag = validators([Submit]);
  t.deepEqual(Object.keys(byTag), ['Submit']);
  t.is(byTag.Submit({ type: 'Submit' }), `Submit.jobId: expected a job id (letters, digits, '_', '-', '.'; not starting with '.'; at most 128 characters), got nothing`);
});
