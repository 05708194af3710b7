// findHoldingBack: from the watermarks of a job's subtasks, the subtask whose input watermark is the
// job's lowest, the input and the channel holding it, and the upstream subtask (or split) behind it.
import test from 'ava';
import { findHoldingBack } from '../../../api/client/index.ts';
import type { ChannelWatermark, InputWatermarks, SplitWatermark, SubtaskWatermarkReport, SubtaskWatermarks } from '../../../messages/watermarks.ts';

const NONE = Number.NEGATIVE_INFINITY;
const END = Number.POSITIVE_INFINITY;

const active = (upstreamVertexId: string, upstreamSubtask: number, watermark: number, aligned = true): ChannelWatermark => ({
  upstreamVertexId,
  upstreamSubtask,
  watermark,
  idle: false,
  aligned,
});
const idle = (upstreamVertexId: string, upstreamSubtask: number, watermark: number): ChannelWatermark => ({ upstreamVertexId, upstreamSubtask, watermark, idle: true, aligned: false });
const input = (index: number, watermark: number, channels: ChannelWatermark[], isIdle = false): InputWatermarks => ({ input: index, watermark, idle: isIdle, channels });

function fed(vertexId: string, subtaskIndex: number, inputWatermark: number, inputs: InputWatermarks[]): SubtaskWatermarkReport {
  return { vertexId, subtaskIndex, watermarks: { inputWatermark, outputWatermark: inputWatermark, outputIdle: false, inputs, splits: null } };
}

function source(subtaskIndex: number, outputWatermark: number, splits: SplitWatermark[] | null = null, outputIdle = false): SubtaskWatermarkReport {
  const watermarks: SubtaskWatermarks = { inputWatermark: null, outputWatermark, outputIdle, inputs: [], splits };
  return { vertexId: 'source', subtaskIndex, watermarks };
}

test('the subtask with the lowest input watermark is blamed, and in its input the aligned channel with the lowest watermark', (t) => {
  const holding = input(0, 100, [active('source', 0, 300), active('source', 1, 100), active('source', 2, 50, false), idle('source', 3, 10)]);
  const reports = [
    source(0, 300),
    source(1, 100),
    fed('window', 0, 200, [input(0, 200, [active('source', 0, 300), active('source', 1, 200)])]),
    fed('window', 1, 100, [holding]),
    fed('window', 2, 100, [holding]),
  ];
  t.deepEqual(findHoldingBack(reports), {
    kind: 'input',
    vertexId: 'window',
    subtaskIndex: 1,
    inputWatermark: 100,
    input: holding,
    lowest: active('source', 1, 100),
    split: null,
    idleChannels: [idle('source', 3, 10)],
  }, 'a channel catching up (not aligned) and an idle one are not in the minimum; ties go to the first subtask');
});

test('of a two-input operator, the input that is not idle and holds the minimum is blamed', (t) => {
  const first = input(0, 500, [active('left', 0, 500)]);
  const second = input(1, 20, [active('right', 0, 20)]);
  t.like(findHoldingBack([fed('join', 0, 20, [first, second])]), { input: second, lowest: active('right', 0, 20) });
  const idleSecond = input(1, 20, [idle('right', 0, 20)], true);
  t.like(findHoldingBack([fed('join', 0, 500, [first, idleSecond])]), { input: first, lowest: active('left', 0, 500) });
});

test('a subtask whose inputs are all idle, or that reached the end of event time, is not blamed', (t) => {
  const reports = [
    fed('a', 0, 5, [input(0, 5, [idle('source', 0, 5)], true)]),
    fed('b', 0, END, [input(0, END, [active('source', 0, END)])]),
    fed('c', 0, 70, [input(0, 70, [active('source', 0, 70)])]),
  ];
  t.like(findHoldingBack(reports), { vertexId: 'c', inputWatermark: 70 });
});

test('the upstream source subtask behind the lowest channel names its lowest active split, when its reader tells', (t) => {
  const splits = [
    { split: 'file-a', watermark: 40, idle: false },
    { split: 'file-b', watermark: 10, idle: true },
    { split: 'file-c', watermark: 30, idle: false },
  ];
  const reports = [source(0, 30, splits), fed('window', 0, 30, [input(0, 30, [active('source', 0, 30)])])];
  t.like(findHoldingBack(reports), { lowest: active('source', 0, 30), split: { split: 'file-c', watermark: 30, idle: false } });
});

test('without a subtask fed by the network, the source subtask with the lowest output watermark is named', (t) => {
  const reports = [source(0, 90, [{ split: 's-0', watermark: 90, idle: false }]), source(1, 5, null, true), source(2, NONE)];
  t.deepEqual(findHoldingBack(reports), { kind: 'source', vertexId: 'source', subtaskIndex: 2, outputWatermark: NONE, split: null });
  t.like(findHoldingBack(reports.slice(0, 2)), { subtaskIndex: 0, split: { split: 's-0' } }, 'an idle output holds nothing back');
});

test('nothing is blamed when no subtask is running', (t) => {
  t.is(findHoldingBack([]), null);
  t.is(findHoldingBack([{ vertexId: 'v', subtaskIndex: 0, watermarks: null, unavailable: 'FINISHED' }]), null);
});
