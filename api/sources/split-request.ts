// One RequestNextInputSplit from a split-reading source's subtask, as both split readers
// (split-reader.ts, connector-reader.ts) make it: the answer never rejects, so a reader can wait on
// it as a step's 'wait' and find the outcome in its own fields afterwards.
import { WeirError, describeError } from '../../messages/errors.ts';
import type { InputSplit } from '../../messages/job-graph.ts';
import { type OperatorRuntime, describeOperator } from '../runtime/chain.ts';

/** The next split (null: none are left), or a SPLIT_REQUEST_FAILED error naming the source. */
export function requestNextSplit(runtime: OperatorRuntime): Promise<InputSplit | null | WeirError> {
  let pending: Promise<InputSplit | null>;
  try {
    pending = runtime.subtask.requestSplit();
  } catch (error) {
    pending = Promise.reject(error);
  }
  return pending.then(
    (split) => split,
    (error: unknown) => {
      const message = `${describeOperator(runtime.descriptor)}: requesting the next input split failed: ${describeError(error)}`;
      return new WeirError('SPLIT_REQUEST_FAILED', message, { cause: error });
    },
  );
}
