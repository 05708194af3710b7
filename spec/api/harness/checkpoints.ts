// What a spec of checkpoints needs to play the Task: a responder that records acknowledgements (their
// asynchronous part completed at once, through the file's codec) and declines, barriers, the msgpack
// round trip the Task's checkpoint file makes, and a source subtask that a restore gives the splits
// the JobManager would hand out again.
import { encodeTakenSnapshot } from '../../../api/runtime/checkpointing/async-snapshot.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../api/runtime/checkpointing/snapshot-codec.ts';
import type { CheckpointBarrier, CheckpointResponder, SubtaskSnapshot, TakenSubtaskSnapshot } from '../../../api/runtime/checkpointing/snapshot.ts';
import type { JobPlan, RunnableSubtask } from '../../../api/runtime/subtask.ts';
import type { FakeWriter } from './fakes.ts';
import { MAX_STEPS, SplitQueue, fakeContext, within } from '../helpers.ts';

/** What the Task would hear from a subtask. */
export class RecordingResponder implements CheckpointResponder {
  readonly acks: { readonly barrier: CheckpointBarrier; readonly snapshot: SubtaskSnapshot; readonly syncMs: number }[] = [];
  readonly declines: { readonly checkpointId: number; readonly reason: string }[] = [];

  acknowledge(barrier: CheckpointBarrier, taken: TakenSubtaskSnapshot, syncMs: number): void {
    this.acks.push({ barrier, snapshot: decodeSnapshot(encodeTakenSnapshot(taken), 'the acknowledged snapshot'), syncMs });
  }

  decline(checkpointId: number, reason: string): void {
    this.declines.push({ checkpointId, reason });
  }
}

export const barrier = (checkpointId: number): CheckpointBarrier => ({ kind: 'barrier', checkpointId, timestamp: 1_000 + checkpointId, mode: 'EXACTLY_ONCE', savepoint: false });

/** The snapshot as the Task writes and reads it back. */
export const throughMsgpack = (snapshot: SubtaskSnapshot): SubtaskSnapshot => decodeSnapshot(encodeSnapshot(snapshot), 'the snapshot');

/**
 * A subtask of the plan's first vertex. Restored: the JobManager hands out again every split it had
 * given after the snapshot's `splitsReceived` (here: the vertex's splits from there on).
 */
export function sourceSubtask(plan: JobPlan, responder: CheckpointResponder, restoredState?: SubtaskSnapshot, outputs: FakeWriter[] = []): RunnableSubtask {
  const vertex = plan.graph.vertices[0];
  const splits = new SplitQueue((vertex.splits ?? []).slice(restoredState?.source?.splitsReceived ?? 0));
  return plan.createSubtask(vertex, fakeContext({ requestSplit: () => splits.request(0), checkpointResponder: responder, restoredState, outputs }));
}

/** Steps until `done()` (waits bounded), as the Task would between two checkpoint triggers. */
export async function stepUntil(subtask: RunnableSubtask, done: () => boolean, maxRecords = 7): Promise<void> {
  for (let steps = 0; steps < MAX_STEPS && !done(); steps++) {
    const result = subtask.step(maxRecords);
    if (result.kind === 'finished') return;
    if (result.kind === 'wait') await within(result.until);
  }
}
