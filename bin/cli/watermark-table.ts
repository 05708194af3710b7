// The watermarks part of `weir info`: each subtask's input and output watermark, then the subtask
// holding the job's event time back, its input's channels, and the upstream subtask (or split) to
// look at — the answer to "why does my window not fire?".
import { type HoldingBack, findHoldingBack } from '../../api/client/index.ts';
import type { VertexDetails } from '../../messages/dispatcher.ts';
import type { ChannelWatermark, SubtaskWatermarkReport, SubtaskWatermarks } from '../../messages/watermarks.ts';
import { columns } from './columns.ts';

/** Epoch ms from 2000 to 2100 are shown as ISO times; other watermarks (event time counted from 0) as numbers. */
const EPOCH_FROM_MS = Date.UTC(2000, 0, 1);
const EPOCH_TO_MS = Date.UTC(2100, 0, 1);

/** "-" before the first watermark, "end" at the end of event time, an ISO time for epoch ms, else the number. */
export function formatWatermark(watermark: number): string {
  if (watermark === Number.NEGATIVE_INFINITY) return '-';
  if (watermark === Number.POSITIVE_INFINITY) return 'end';
  if (watermark >= EPOCH_FROM_MS && watermark < EPOCH_TO_MS) return new Date(watermark).toISOString();
  return String(watermark);
}

export function describeWatermarks(vertices: readonly VertexDetails[], reports: readonly SubtaskWatermarkReport[]): string[] {
  if (!reports.some((report) => report.watermarks)) return ['  watermarks:  none (no subtask is running)'];
  const byId = new Map(vertices.map((vertex) => [vertex.id, vertex]));
  const subtaskName = (vertexId: string, subtaskIndex: number): string => {
    const vertex = byId.get(vertexId);
    return vertex ? `${vertex.name} (${subtaskIndex + 1}/${vertex.parallelism})` : `${vertexId} (${subtaskIndex + 1})`;
  };
  const rows = reports.map(({ vertexId, subtaskIndex, watermarks, unavailable }) => {
    const vertex = byId.get(vertexId);
    const subtask = `${subtaskIndex + 1}/${vertex?.parallelism ?? '?'}`;
    if (!watermarks) return [vertex?.name ?? vertexId, subtask, `? (${unavailable ?? 'no answer'})`, ''];
    return [vertex?.name ?? vertexId, subtask, inputCell(watermarks), outputCell(watermarks)];
  });
  const lines = ['  watermarks:', ...columns([['VERTEX', 'SUBTASK', 'INPUT', 'OUTPUT'], ...rows], '    ')];
  const holding = findHoldingBack(reports);
  if (holding) lines.push(...describeHoldingBack(holding, subtaskName));
  else lines.push('  nothing holds event time back: every input and source is idle or at its end.');
  return lines;
}

function inputCell(watermarks: SubtaskWatermarks): string {
  if (watermarks.inputWatermark === null) return '(source)';
  if (watermarks.inputs.length > 0 && watermarks.inputs.every((input) => input.idle)) return 'idle';
  return formatWatermark(watermarks.inputWatermark);
}

function outputCell(watermarks: SubtaskWatermarks): string {
  if (watermarks.outputWatermark === null) return '(no outputs)';
  return watermarks.outputIdle ? 'idle' : formatWatermark(watermarks.outputWatermark);
}

function describeHoldingBack(holding: HoldingBack, subtaskName: (vertexId: string, subtaskIndex: number) => string): string[] {
  const held = subtaskName(holding.vertexId, holding.subtaskIndex);
  const split = holding.split ? `; of its splits, "${holding.split.split}" is the lowest, at ${formatWatermark(holding.split.watermark)}` : '';
  if (holding.kind === 'source') {
    return [`  lowest output watermark: ${held}, ${reached(holding.outputWatermark)}${split}.`];
  }
  const { input, lowest, idleChannels } = holding;
  const upstream = (channel: ChannelWatermark): string => subtaskName(channel.upstreamVertexId, channel.upstreamSubtask);
  const channelRows = input.channels.map((channel, index) => [String(index), upstream(channel), formatWatermark(channel.watermark), statusOf(channel)]);
  const lines = [
    `  lowest input watermark: ${held}, ${reached(holding.inputWatermark)}; ${input.input === 1 ? "its second input's" : 'its input'} channels:`,
    ...columns([['CHANNEL', 'UPSTREAM', 'WATERMARK', 'STATUS'], ...channelRows], '    '),
  ];
  if (lowest === null) lines.push('  no channel of that input is aligned: each is idle or catching up.');
  else if (lowest.watermark === Number.NEGATIVE_INFINITY) lines.push(`  held back by ${upstream(lowest)}: no watermark from it yet${split}.`);
  else lines.push(`  held back by ${upstream(lowest)}, at ${formatWatermark(lowest.watermark)}${split}.`);
  if (idleChannels.length > 0) lines.push(`  idle, so left out of the minimum: ${idleChannels.map(upstream).join(', ')}.`);
  return lines;
}

/** "none yet" before the first watermark, else "at <watermark>". */
function reached(watermark: number): string {
  return watermark === Number.NEGATIVE_INFINITY ? 'none yet' : `at ${formatWatermark(watermark)}`;
}

function statusOf(channel: ChannelWatermark): string {
  if (channel.idle) return 'idle';
  return channel.aligned ? 'active' : 'active, catching up';
}
