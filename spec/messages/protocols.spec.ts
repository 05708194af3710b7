// Every message type Weir registers has a schema, checked on every decode: a valid example passes,
// and each structural mutation of it is refused naming the mutated field, unless the mutation is
// still a valid message (an optional field removed, data we do not look into).
import test from 'ava';
import type { ActorRef } from '../../actors/index.ts';
import { checkMessage, hasValidator, registeredMessageTypes } from '../../messages/codec.ts';
import { WeirError } from '../../messages/errors.ts';
import { validExamples } from './examples.ts';
import { type Mutation, mutationsOf, seededRandom } from './mutations.ts';

const PEER = 'weir://evil@127.0.0.1:9';
const ref = { path: 'weir://client@127.0.0.1:1/user/sink', tell: () => {} } as unknown as ActorRef<never>;
const examples = validExamples(ref);

function allMutations(): { tag: string; mutation: Mutation }[] {
  const random = seededRandom(12);
  return Object.entries(examples).flatMap(([tag, example]) => mutationsOf(tag, example, random).map((mutation) => ({ tag, mutation })));
}

test('every registered message type has a schema and a valid example that passes it', (t) => {
  const registered = registeredMessageTypes();
  t.deepEqual([...registered].sort(), Object.keys(examples).sort());
  t.deepEqual(
    registered.filter((tag) => !hasValidator(tag)),
    [],
  );
  for (const [tag, example] of Object.entries(examples)) t.is(checkMessage(example, PEER), undefined, tag);
});

test('a refused message is an INVALID_MESSAGE naming the peer and the field path', (t) => {
  const { replyTo: _, ...withoutReply } = examples.ListJobs;
  const error = checkMessage(withoutReply, PEER);
  t.true(error instanceof WeirError);
  t.is(error?.code, 'INVALID_MESSAGE');
  t.is(error?.message, `invalid message from ${PEER}: ListJobs.replyTo: expected an actor ref, got nothing`);
  t.is(checkMessage({ n: 1 }, PEER)?.message, `invalid message from ${PEER}: no string "type" tag in an object`);
  t.like(checkMessage({ type: 'NoSuchMessage' }, PEER), { code: 'UNKNOWN_MESSAGE_TYPE', message: `no codec for type "NoSuchMessage" from ${PEER}` });
});

test('each mutation is refused naming exactly the mutated field, or is still a valid message', (t) => {
  const mutations = allMutations();
  const refused: string[] = [];
  for (const { tag, mutation } of mutations) {
    const error = checkMessage(mutation.message, PEER);
    if (!error) continue;
    refused.push(mutation.label);
    const path = mutation.label.replace(/( removed|: .*)$/, '');
    const expected = path === `${tag}.type` ? `invalid message from ${PEER}: no string "type" tag` : `invalid message from ${PEER}: ${path}: `;
    t.true(error.message.startsWith(expected), `${mutation.label} -> ${error.message}`);
  }
  // Fixed by the seed and the examples: a change of either changes these counts.
  t.is(mutations.length, 1361);
  t.is(refused.length, 1182);
});

test('mutations of data and of optional fields stay valid', (t) => {
  const accepted = new Set(
    allMutations()
      .filter(({ mutation }) => checkMessage(mutation.message, PEER) === undefined)
      .map(({ mutation }) => mutation.label.replace(/: .*$/, '')),
  );
  for (const label of [
    'SubmitJob.planParallelism removed',
    'SubmitJob.jobGraph.vertices[0].splits[0].payload',
    'SubmitJob.jobGraph.vertices[0].operators[0].config.n',
    'CollectBatch.records[0]',
    'JobStatusChanged.error removed',
    'RegisterTaskManager.dataAddress removed',
    'NextInputSplit.retry removed',
    'UpdateTaskExecutionState.error.code removed',
    'SubmitTask.descriptor.outputs[0].producer removed',
    // A watermark may be any number: -1 ms is a watermark too.
    'JobWatermarks.subtasks[0].watermarks.outputWatermark',
  ]) {
    t.true(accepted.has(label), label);
  }
});

test('an id is refused in its format where the receiver names an actor or a file by it, and only there', (t) => {
  const refusedBadIds = allMutations()
    .filter(({ mutation }) => mutation.label.includes(': bad id '))
    .filter(({ mutation }) => checkMessage(mutation.message, PEER) !== undefined)
    .map(({ mutation }) => mutation.label.replace(/: bad id .*$/, ''));
  t.deepEqual(refusedBadIds, [
    'SubmitJob.jobId',
    'RegisterTaskManager.resourceId',
    'RequestSlots.jobId',
    'AllocateSlot.jobId',
    'SubmitTask.descriptor.jobId',
    'SubmitTask.descriptor.executionAttemptId',
    'SubmitTask.descriptor.bundleHash',
    'PrepareJob.bundleHash',
  ]);
});
