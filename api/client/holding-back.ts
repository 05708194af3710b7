// "Why is there no output?": which subtask holds a job's event time back, from the watermarks the
// client got (WeirClient.watermarks). The subtask with the lowest input watermark is the one whose
// windows and timers wait longest; of its inputs, the one holding the minimum; of that input's
// channels, the aligned one with the lowest watermark names the upstream subtask to look at (and,
// when its reader tells, that subtask's lowest split). Idle channels are left out of every minimum,
// as the valves leave them out.
import type { ChannelWatermark, InputWatermarks, SplitWatermark, SubtaskWatermarkReport, SubtaskWatermarks } from '../../messages/watermarks.ts';
import { MAX_WATERMARK } from '../eventtime/watermark.ts';

/** A subtask fed by the network whose input watermark is the job's lowest. */
export interface InputHoldingBack {
  readonly kind: 'input';
  readonly vertexId: string;
  readonly subtaskIndex: number;
  readonly inputWatermark: number;
  /** Its input holding the minimum. */
  readonly input: InputWatermarks;
  /** The aligned channel with the lowest watermark: its upstream subtask holds the input back; null when none is aligned. */
  readonly lowest: ChannelWatermark | null;
  /** That upstream subtask's lowest active split, when its reader tells. */
  readonly split: SplitWatermark | null;
  readonly idleChannels: readonly ChannelWatermark[];
}

/** No network-fed subtask to blame (a job of one vertex): the source subtask with the lowest output watermark. */
export interface SourceHoldingBack {
  readonly kind: 'source';
  readonly vertexId: string;
  readonly subtaskIndex: number;
  readonly outputWatermark: number;
  readonly split: SplitWatermark | null;
}

export type HoldingBack = InputHoldingBack | SourceHoldingBack;

/** The subtask holding the job's event time back, or null when no running subtask has one (ties: the first in graph order). */
export function findHoldingBack(reports: readonly SubtaskWatermarkReport[]): HoldingBack | null {
  const fed = lowestBy(reports, (watermarks) => (watermarks.inputWatermark !== null && watermarks.inputs.some((input) => !input.idle) ? watermarks.inputWatermark : null));
  if (fed) {
    const { report, watermarks } = fed;
    const input = lowestOf(watermarks.inputs.filter((candidate) => !candidate.idle), (candidate) => candidate.watermark) as InputWatermarks;
    const lowest = lowestOf(input.channels.filter((channel) => channel.aligned), (channel) => channel.watermark);
    const upstream = lowest ? reports.find((other) => other.vertexId === lowest.upstreamVertexId && other.subtaskIndex === lowest.upstreamSubtask) : undefined;
    return {
      kind: 'input',
      vertexId: report.vertexId,
      subtaskIndex: report.subtaskIndex,
      inputWatermark: watermarks.inputWatermark as number,
      input,
      lowest,
      split: lowestSplit(upstream?.watermarks ?? null),
      idleChannels: input.channels.filter((channel) => channel.idle),
    };
  }
  const source = lowestBy(reports, (watermarks) => (watermarks.inputWatermark === null && watermarks.outputWatermark !== null && !watermarks.outputIdle ? watermarks.outputWatermark : null));
  if (!source) return null;
  const { report, watermarks } = source;
  return { kind: 'source', vertexId: report.vertexId, subtaskIndex: report.subtaskIndex, outputWatermark: watermarks.outputWatermark as number, split: lowestSplit(watermarks) };
}

/** The report whose `key` is lowest, leaving out those without one and those at the end of event time. */
function lowestBy(
  reports: readonly SubtaskWatermarkReport[],
  key: (watermarks: SubtaskWatermarks) => number | null,
): { readonly report: SubtaskWatermarkReport; readonly watermarks: SubtaskWatermarks } | null {
  let best: { report: SubtaskWatermarkReport; watermarks: SubtaskWatermarks; value: number } | null = null;
  for (const report of reports) {
    const value = report.watermarks ? key(report.watermarks) : null;
    if (value === null || value >= MAX_WATERMARK || (best && value >= best.value)) continue;
    best = { report, watermarks: report.watermarks as SubtaskWatermarks, value };
  }
  return best;
}

function lowestOf<T>(items: readonly T[], watermarkOf: (item: T) => number): T | null {
  let best: T | null = null;
  for (const item of items) if (best === null || watermarkOf(item) < watermarkOf(best)) best = item;
  return best;
}

function lowestSplit(watermarks: SubtaskWatermarks | null): SplitWatermark | null {
  return lowestOf((watermarks?.splits ?? []).filter((split) => !split.idle), (split) => split.watermark);
}
