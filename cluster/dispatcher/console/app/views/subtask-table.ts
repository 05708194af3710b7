// A vertex's subtasks: state, TaskManager, records and bytes, rates, time shares, buffer usage and
// watermarks, one row each, columns of fixed width so the table holds still as the numbers change.
import { type VertexDetails, type VertexSubtask, metricOf, watermarkFrom } from '../lib/rest-shapes.ts';
import { formatBytes, formatCount, formatPercent, formatRate, formatWatermark } from '../lib/format.ts';
import { loadShares } from '../lib/vertex-load.ts';
import { RECORDS_IN, RECORDS_IN_PER_SECOND, RECORDS_OUT, RECORDS_OUT_PER_SECOND } from '../lib/vertex-figures.ts';
import { html } from '../ui/html.ts';
import { LoadBar, StateBadge, UsageBar } from '../ui/widgets.ts';

/** A watermark of the subtask's (`input` or `output`), unknown when it reports none. */
function watermark(subtask: VertexSubtask, side: 'input' | 'output'): number | null {
  return subtask.watermarks ? watermarkFrom(subtask.watermarks[side] ?? null) : null;
}

export function SubtaskTable({ vertex }: { vertex: VertexDetails }) {
  return html`<table class="grid subtasks" data-vertex-id=${vertex.id}>
    <colgroup>
      <col class="w-index" /><col class="w-state" /><col class="w-tm" />
      <col class="w-count" /><col class="w-count" /><col class="w-rate" /><col class="w-rate" />
      <col class="w-bytes" /><col class="w-bytes" /><col class="w-load" /><col class="w-buffer" /><col class="w-buffer" />
      <col class="w-watermark" /><col class="w-watermark" />
    </colgroup>
    <thead><tr>
      <th class="r">#</th><th>State</th><th>TaskManager</th>
      <th class="r">Records in</th><th class="r">Records out</th><th class="r">In/s</th><th class="r">Out/s</th>
      <th class="r">Bytes in</th><th class="r">Bytes out</th><th>Busy · backpressured · idle</th>
      <th>In buffers</th><th>Out buffers</th><th>Input watermark</th><th>Output watermark</th>
    </tr></thead>
    <tbody>
      ${vertex.subtasks.map((subtask) => {
        const metrics = subtask.metrics;
        const shares = loadShares(metrics);
        const inBuffer = metricOf(metrics, 'input-buffer-usage', 'inputBufferUsage', 'inPoolUsage');
        const outBuffer = metricOf(metrics, 'output-buffer-usage', 'outputBufferUsage', 'outPoolUsage');
        return html`<tr key=${subtask.subtask} data-subtask=${subtask.subtask}>
          <td class="num r">${subtask.subtask}</td>
          <td><${StateBadge} state=${subtask.status} /></td>
          <td class="mono ellipsis" title=${subtask['taskmanager-id'] ?? subtask.endpoint ?? ''}>${subtask['taskmanager-id'] ?? subtask.endpoint ?? '—'}</td>
          <td class="num r">${formatCount(metricOf(metrics, ...RECORDS_IN))}</td>
          <td class="num r">${formatCount(metricOf(metrics, ...RECORDS_OUT))}</td>
          <td class="num r">${formatRate(metricOf(metrics, ...RECORDS_IN_PER_SECOND))}</td>
          <td class="num r">${formatRate(metricOf(metrics, ...RECORDS_OUT_PER_SECOND))}</td>
          <td class="num r">${formatBytes(metricOf(metrics, 'read-bytes', 'numBytesIn'))}</td>
          <td class="num r">${formatBytes(metricOf(metrics, 'write-bytes', 'numBytesOut'))}</td>
          <td title=${shares ? `busy ${formatPercent(shares.busy)}, backpressured ${formatPercent(shares.backpressured)}, idle ${formatPercent(shares.idle)}` : ''}><${LoadBar} shares=${shares} /></td>
          <td><div class="buffer"><${UsageBar} ratio=${inBuffer} /><span class="num">${formatPercent(inBuffer)}</span></div></td>
          <td><div class="buffer"><${UsageBar} ratio=${outBuffer} /><span class="num">${formatPercent(outBuffer)}</span></div></td>
          <td class="num">${formatWatermark(watermark(subtask, 'input'))}</td>
          <td class="num">${formatWatermark(watermark(subtask, 'output'))}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}
