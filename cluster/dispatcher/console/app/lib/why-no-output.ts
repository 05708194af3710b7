// "Why is there no output?" in the console: the REST API's watermarks of every vertex, read into the
// runtime's shape, then the same reasoning as `weir info` (api/client/holding-back.ts): which
// subtask's input holds the job's event time back, through which upstream subtask, and which
// inputs are idle (left out of every minimum).
import { type HoldingBack, findHoldingBack } from '../../../../../api/client/holding-back.ts';
import type { ChannelWatermark, InputWatermarks, SubtaskWatermarkReport, SubtaskWatermarks } from '../../../../../messages/watermarks.ts';
import { type InputWatermarksShape, type SubtaskWatermarksShape, type VertexWatermarks, watermarkFrom } from './rest-shapes.ts';

export type { HoldingBack };

/** An input of a subtask that is idle, or the idle channels of an active one. */
export interface IdleInput {
  readonly vertexId: string;
  readonly subtaskIndex: number;
  readonly input: number;
  /** The whole input is idle (every channel is). */
  readonly whole: boolean;
  readonly channels: readonly ChannelWatermark[];
}

export interface WhyNoOutput {
  readonly holdingBack: HoldingBack | null;
  readonly idle: readonly IdleInput[];
  /** Subtasks whose watermarks are unknown, with why. */
  readonly unavailable: readonly { readonly vertexId: string; readonly subtaskIndex: number; readonly reason: string }[];
  /** The REST API sent only Flink's per-subtask figures: no inputs or channels to reason about. */
  readonly detailed: boolean;
}

/** The reports of one vertex's GET .../watermarks answer, in the runtime's shape (watermarks as numbers, infinities). */
export function reportsOfVertex(vertexId: string, answer: VertexWatermarks): { readonly reports: readonly SubtaskWatermarkReport[]; readonly detailed: boolean } {
  if (Array.isArray(answer)) return { reports: flinkMetricReports(vertexId, answer), detailed: false };
  const subtasks = (answer as { readonly subtasks: readonly SubtaskWatermarksShape[] }).subtasks ?? [];
  return {
    detailed: true,
    reports: subtasks.map((shape, position) => {
      const subtaskIndex = shape.subtaskIndex ?? shape.subtask ?? position;
      const watermarks = watermarksOf(shape);
      return { vertexId, subtaskIndex, watermarks, ...(shape.unavailable !== undefined ? { unavailable: shape.unavailable } : {}) };
    }),
  };
}

function watermarksOf(shape: SubtaskWatermarksShape): SubtaskWatermarks | null {
  const source = shape.watermarks === undefined ? (shape.inputs !== undefined || shape.inputWatermark !== undefined ? shape : null) : shape.watermarks;
  if (!source) return null;
  return {
    inputWatermark: source.inputWatermark === null || source.inputWatermark === undefined ? null : watermarkFrom(source.inputWatermark),
    outputWatermark: source.outputWatermark === null || source.outputWatermark === undefined ? null : watermarkFrom(source.outputWatermark),
    outputIdle: source.outputIdle ?? false,
    inputs: (source.inputs ?? []).map(inputOf),
    splits: null,
  };
}

function inputOf(shape: InputWatermarksShape): InputWatermarks {
  return {
    input: shape.input,
    watermark: watermarkFrom(shape.watermark) ?? -Infinity,
    idle: shape.idle,
    channels: shape.channels.map((channel) => ({ ...channel, watermark: watermarkFrom(channel.watermark) ?? -Infinity })),
  };
}

/** Flink's `[{id: "0.currentInputWatermark", value}]`: an input watermark per subtask, nothing about inputs. */
function flinkMetricReports(vertexId: string, metrics: readonly { readonly id: string; readonly value: string | number | null }[]): SubtaskWatermarkReport[] {
  const bySubtask = new Map<number, { input: number | null; output: number | null }>();
  for (const metric of metrics) {
    const match = /^(\d+)\.current(Input|Output)Watermark$/.exec(metric.id);
    if (!match) continue;
    const index = Number(match[1]);
    const entry = bySubtask.get(index) ?? { input: null, output: null };
    if (match[2] === 'Input') entry.input = watermarkFrom(metric.value);
    else entry.output = watermarkFrom(metric.value);
    bySubtask.set(index, entry);
  }
  return [...bySubtask.entries()]
    .sort(([a], [b]) => a - b)
    .map(([subtaskIndex, entry]) => ({
      vertexId,
      subtaskIndex,
      watermarks: { inputWatermark: entry.input, outputWatermark: entry.output, outputIdle: false, inputs: [], splits: null },
    }));
}

/** The whole job's answer, from every vertex's reports (vertices in graph order). */
export function whyNoOutput(reports: readonly SubtaskWatermarkReport[], detailed: boolean): WhyNoOutput {
  const idle: IdleInput[] = [];
  const unavailable: { vertexId: string; subtaskIndex: number; reason: string }[] = [];
  for (const report of reports) {
    if (!report.watermarks) {
      unavailable.push({ vertexId: report.vertexId, subtaskIndex: report.subtaskIndex, reason: report.unavailable ?? 'no watermarks reported' });
      continue;
    }
    for (const input of report.watermarks.inputs) {
      const channels = input.channels.filter((channel) => channel.idle);
      if (input.idle || channels.length > 0) idle.push({ vertexId: report.vertexId, subtaskIndex: report.subtaskIndex, input: input.input, whole: input.idle, channels });
    }
  }
  return { holdingBack: detailed ? findHoldingBack(reports) : lowestInput(reports), idle, unavailable, detailed };
}

/** Without inputs to look into, the subtask with the lowest input watermark is the best answer there is. */
function lowestInput(reports: readonly SubtaskWatermarkReport[]): HoldingBack | null {
  let best: { report: SubtaskWatermarkReport; watermark: number } | null = null;
  for (const report of reports) {
    const watermark = report.watermarks?.inputWatermark;
    if (watermark === null || watermark === undefined || watermark === Infinity) continue;
    if (!best || watermark < best.watermark) best = { report, watermark };
  }
  if (!best) return null;
  const input: InputWatermarks = { input: 0, watermark: best.watermark, idle: false, channels: [] };
  return { kind: 'input', vertexId: best.report.vertexId, subtaskIndex: best.report.subtaskIndex, inputWatermark: best.watermark, input, lowest: null, split: null, idleChannels: [] };
}
