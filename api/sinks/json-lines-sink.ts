// writeAsJsonLines(directory): each subtask writes `<directory>/part-<subtaskIndex>.jsonl`, one JSON
// value per line (JSON Lines: JSON.stringify never emits a raw newline). Writing is the text file
// sink's: batched per step, one write in flight, backpressure past TEXT_SINK_MAX_BUFFERED_CHARS.
// A record JSON cannot carry (undefined, a function, a bigint) fails the subtask naming the sink.
import type { OperatorRuntime } from '../runtime/chain.ts';
import { type PartFileFormat, TextFileSink } from './text-file-sink.ts';

export const JSON_LINES_SINK_KIND = 'sink-json-lines';

/** The line of a record: its JSON text; throws a TypeError for a value that has none. */
export function formatJsonLine(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`${value === undefined ? 'undefined' : `a ${typeof value}`} is not a JSON value`);
  return json;
}

export const JSON_LINES_PART_FILE: PartFileFormat = { suffix: '.jsonl', format: formatJsonLine };

export class JsonLinesSink<T> extends TextFileSink<T> {
  constructor(runtime: OperatorRuntime, directory: string) {
    super(runtime, directory, JSON_LINES_PART_FILE);
  }
}
