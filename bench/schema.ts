// Message validation benchmark: what the schema check costs per message, for the frequent messages
// of the control plane, beside what decoding the same message costs (the check runs on every
// decoded message, and on every message sent to another system). Prints ONE JSON line.
//
//   npx tsx bench/schema.ts
//   BENCH_SCALE=0.2 npx tsx bench/schema.ts
import { checkMessage, decode, encodeSmall, registerMessages } from '../messages/codec.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Math.round(2_000_000 * SCALE);
const PEER = 'weir://taskmanager-1@127.0.0.1:6124';

/** Shaped like a ref as decoding makes it: an instance with a path and a tell. */
class BenchRef {
  constructor(readonly path: string) {}
  tell(): void {}
}
const ref = new BenchRef('weir://taskmanager-1@127.0.0.1:6124/temp/$a');

const messages: Record<string, Record<string, unknown>> = {
  UpdateTaskExecutionState: {
    type: 'UpdateTaskExecutionState',
    jobId: '0b6b7c1e-5d8a-4a3f-9e2b-1c2d3e4f5a6b',
    jobMasterId: '6d0f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
    executionAttemptId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    state: 'RUNNING',
  },
  RequestNextInputSplit: {
    type: 'RequestNextInputSplit',
    jobMasterId: '6d0f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
    executionAttemptId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    vertexId: 'source-1',
    replyTo: ref,
  },
  CollectBatch: { type: 'CollectBatch', operatorId: 'collect-1', subtaskIndex: 0, sequence: 41, records: Array.from({ length: 1000 }, (_, i) => i), replyTo: ref },
  SlotReport: {
    type: 'SlotReport',
    resourceId: 'taskmanager-1',
    slots: Array.from({ length: 4 }, (_, index) => ({ index, allocationId: null, jobId: null })),
  },
};

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Nanoseconds per call of `run`, best of 3 passes after a warm-up pass. */
function nsPerCall(run: () => unknown): number {
  let best = Infinity;
  for (let pass = 0; pass < 4; pass++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < ROUNDS; i++) if (run() === 'never') throw new Error('unreachable');
    const ns = Number(process.hrtime.bigint() - started) / ROUNDS;
    if (pass > 0) best = Math.min(best, ns);
  }
  return round(best);
}

// The registry lookup alone: a type registered without a schema.
registerMessages(['BenchUnchecked']);
const unchecked = { ...messages.UpdateTaskExecutionState, type: 'BenchUnchecked' };

const figures: Record<string, unknown> = { rounds: ROUNDS, lookup_only_ns: nsPerCall(() => checkMessage(unchecked, PEER)) };
for (const [tag, message] of Object.entries(messages)) {
  if (checkMessage(message, PEER)) throw new Error(`the benchmark's ${tag} is not valid: ${checkMessage(message, PEER)?.message}`);
  figures[`check_${tag}_ns`] = nsPerCall(() => checkMessage(message, PEER));
}
// The reference: decoding one small message off a frame, without refs (they need an actor system).
const frame = encodeSmall(messages.UpdateTaskExecutionState);
figures.decode_UpdateTaskExecutionState_ns = nsPerCall(() => decode(frame));
process.stdout.write(`${JSON.stringify(figures)}\n`);
