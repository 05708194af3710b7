// What a running subtask reports of its event time when asked (`weir info`, Flink's
// /jobs/:id/vertices/:vid/watermarks): plain data, read on request from its valves, its head
// operator and its partitioners, never tracked per record. The Task -> TaskManager -> JobManager ->
// client messages that carry it (RequestTaskWatermarks, RequestJobWatermarks) use these shapes.
//
// Watermarks are ms, with the extremes as infinities (msgpack carries them): -Infinity (MIN_WATERMARK)
// before the first watermark, +Infinity (MAX_WATERMARK) once a channel or input has ended.
import type { ExecutionAttemptId } from './ids.ts';
import { ExecutionAttemptIdKey } from './ids.ts';
import { type Schema, arrayOf, boolean, count, describeValue, nullable, object, optional, string } from './schema.ts';

/** One channel of an input: what the upstream subtask `upstreamSubtask` of `upstreamVertexId` sent last. */
export interface ChannelWatermark {
  readonly upstreamVertexId: string;
  /** A gate's channel i is upstream subtask i of the edge's source vertex. */
  readonly upstreamSubtask: number;
  readonly watermark: number;
  readonly idle: boolean;
  /** Counted in the input's minimum: active, and its watermark has caught up with the input's. */
  readonly aligned: boolean;
}

/** One input of the head operator: its valve's watermark over the channels of every gate feeding it. */
export interface InputWatermarks {
  /** 0, or 1 for the second input of a two-input operator. */
  readonly input: number;
  /** The minimum over the aligned channels, as last emitted. */
  readonly watermark: number;
  /** Every channel is idle: the input holds nothing back. */
  readonly idle: boolean;
  /** Gate after gate, in `vertex.inputs` order. */
  readonly channels: readonly ChannelWatermark[];
}

/** One split a source subtask reads (when its reader tells: SourceReader.splitWatermarks). */
export interface SplitWatermark {
  readonly split: string;
  readonly watermark: number;
  readonly idle: boolean;
}

export interface SubtaskWatermarks {
  /** The head operator's watermark (the last it processed); null for a source subtask, which has no input. */
  readonly inputWatermark: number | null;
  /** The lowest of the last watermarks sent on each output edge; null when the subtask has no output edge. */
  readonly outputWatermark: number | null;
  /** The last status sent on every output edge was idle. */
  readonly outputIdle: boolean;
  /** Empty for a source subtask. */
  readonly inputs: readonly InputWatermarks[];
  /** A source subtask's splits, when its reader tells; null otherwise. */
  readonly splits: readonly SplitWatermark[] | null;
}

/** One subtask's answer: its watermarks, or why there are none (it does not run, it did not answer in time). */
export interface TaskWatermarkReading {
  readonly executionAttemptId: ExecutionAttemptId;
  readonly watermarks: SubtaskWatermarks | null;
  readonly unavailable?: string;
}

/** A subtask of a job, as the JobManager reports it to a client. */
export interface SubtaskWatermarkReport {
  readonly vertexId: string;
  readonly subtaskIndex: number;
  readonly watermarks: SubtaskWatermarks | null;
  /** Why `watermarks` is null: "DEPLOYING", "FINISHED", "no answer from taskmanager-1 within 3000 ms". */
  readonly unavailable?: string;
}

// --- schemas ---------------------------------------------------------------------------------------

const isWatermark = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value);

/** A watermark: any number but NaN (the infinities are the extremes). */
export const WatermarkSchema: Schema<number> = {
  expected: 'a watermark (a number, or +-Infinity)',
  test: isWatermark,
  explain: (value, path) => (isWatermark(value) ? undefined : `${path}: expected a watermark (a number, or +-Infinity), got ${describeValue(value)}`),
};

export const ChannelWatermarkSchema = object<ChannelWatermark>({ upstreamVertexId: string, upstreamSubtask: count, watermark: WatermarkSchema, idle: boolean, aligned: boolean });
export const InputWatermarksSchema = object<InputWatermarks>({ input: count, watermark: WatermarkSchema, idle: boolean, channels: arrayOf(ChannelWatermarkSchema) });
export const SplitWatermarkSchema = object<SplitWatermark>({ split: string, watermark: WatermarkSchema, idle: boolean });
export const SubtaskWatermarksSchema = object<SubtaskWatermarks>({
  inputWatermark: nullable(WatermarkSchema),
  outputWatermark: nullable(WatermarkSchema),
  outputIdle: boolean,
  inputs: arrayOf(InputWatermarksSchema),
  splits: nullable(arrayOf(SplitWatermarkSchema)),
});
export const TaskWatermarkReadingSchema = object<TaskWatermarkReading>({
  executionAttemptId: ExecutionAttemptIdKey,
  watermarks: nullable(SubtaskWatermarksSchema),
  unavailable: optional(string),
});
export const SubtaskWatermarkReportSchema = object<SubtaskWatermarkReport>({
  vertexId: string,
  subtaskIndex: count,
  watermarks: nullable(SubtaskWatermarksSchema),
  unavailable: optional(string),
});
