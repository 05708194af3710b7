// print(): one line per record on the subtask's stdout, in Flink's format: `2> value` from the third
// subtask of a parallel sink, `value` from a sink of parallelism 1, with an optional `prefix:`
// (`errors:2> value`, or `errors> value`).
import type { OperatorRuntime } from '../runtime/chain.ts';
import { ChainOperator } from '../runtime/chain.ts';
import { formatRecord } from './format.ts';

export const PRINT_SINK_KIND = 'sink-print';

export class PrintSink<T> extends ChainOperator<T> {
  private readonly linePrefix: string;
  private readonly stdout: (line: string) => void;

  constructor(runtime: OperatorRuntime, prefix: string | undefined) {
    super(runtime);
    this.stdout = runtime.subtask.stdout;
    this.linePrefix = printPrefix(prefix, runtime.subtask.subtaskIndex, runtime.subtask.parallelism);
  }

  collect(value: T): void {
    this.tracker.current = this.descriptor;
    this.stdout(this.linePrefix + formatRecord(value));
  }
}

/** Flink's PrintSinkOutputWriter prefix: `prefix:subtask> `, `subtask> `, `prefix> ` or nothing. */
export function printPrefix(prefix: string | undefined, subtaskIndex: number, parallelism: number): string {
  let text = prefix ?? '';
  if (parallelism > 1) text = text === '' ? `${subtaskIndex + 1}` : `${text}:${subtaskIndex + 1}`;
  return text === '' ? '' : `${text}> `;
}
