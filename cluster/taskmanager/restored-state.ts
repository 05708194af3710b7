// What a deployed subtask starts from: its own snapshot file when the checkpoint ran at its vertex's
// parallelism (one read, as before rescaling existed), else the merge of the old subtasks' files it
// takes state from (api/runtime/checkpointing/rescale.ts).
import { readRescaledState } from '../../api/runtime/checkpointing/rescale.ts';
import type { SubtaskSnapshot } from '../../api/runtime/checkpointing/snapshot.ts';
import type { TaskDeploymentDescriptor } from '../../messages/task-manager.ts';
import { readSubtaskState } from '../checkpoint/storage.ts';

/** The state to restore (undefined: none of the old subtasks had any), or null on a fresh start. */
export function readRestoredState(descriptor: TaskDeploymentDescriptor): Promise<SubtaskSnapshot | undefined> | null {
  const { checkpoint, vertex, subtaskIndex, maxParallelism } = descriptor;
  const rescaled = checkpoint?.rescaledRestore;
  if (rescaled !== undefined) {
    const operatorKinds = Object.fromEntries(vertex.operators.map((operator) => [operator.id, operator.kind]));
    const target = { subtaskIndex, parallelism: vertex.parallelism, maxParallelism, keyGroups: rescaled.keyGroups, operatorKinds, ...(rescaled.splits ? { splits: rescaled.splits } : {}) };
    return readRescaledState(rescaled.files, target, readSubtaskState);
  }
  return checkpoint?.restore ? readSubtaskState(checkpoint.restore.path) : null;
}
