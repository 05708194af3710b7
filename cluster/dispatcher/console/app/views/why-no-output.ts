// "Why is there no output?": the subtask holding the job's event time back, the input and upstream
// subtask behind it, and the idle inputs left out of the minimum — what `weir info` prints, from the
// REST API's watermarks of every vertex.
import type { JobDetails, VertexWatermarks } from '../lib/rest-shapes.ts';
import { formatWatermark } from '../lib/format.ts';
import { reportsOfVertex, whyNoOutput } from '../lib/why-no-output.ts';
import type { Polled } from '../ui/poll.ts';
import { html } from '../ui/html.ts';

export function WhyNoOutput({ job, answers }: { job: JobDetails; answers: ReadonlyMap<string, Polled<VertexWatermarks>> }) {
  const names = new Map(job.vertices.map((vertex) => [vertex.id, vertex.name]));
  const name = (vertexId: string): string => names.get(vertexId) ?? vertexId;
  let detailed = false;
  const reports = job.vertices.flatMap((vertex) => {
    const answer = answers.get(`/jobs/${job.jid}/vertices/${encodeURIComponent(vertex.id)}/input-watermarks`)?.data;
    if (!answer) return [];
    const read = reportsOfVertex(vertex.id, answer);
    detailed ||= read.detailed;
    return read.reports;
  });
  if (reports.length === 0) return html`<div class="empty">No watermarks reported yet (the job's subtasks are not running, or none uses event time).</div>`;
  const why = whyNoOutput(reports, detailed);
  const holding = why.holdingBack;
  const noEventTime = reports.every((report) => (report.watermarks?.inputWatermark ?? -Infinity) === -Infinity && (report.watermarks?.outputWatermark ?? -Infinity) === -Infinity);
  if (noEventTime) {
    return html`<div class="why" data-testid="why-no-output">
      <p class="why-verdict">No subtask has seen a watermark: the job does not use event time, or its sources have not emitted one yet. Records still flow; only event-time windows and timers wait.</p>
    </div>`;
  }
  return html`<div class="why" data-testid="why-no-output">
    ${holding === null
      ? html`<p class="why-verdict ok">No running subtask holds event time back: every input has reached the end of time or has no watermark to wait for.</p>`
      : holding.kind === 'source'
        ? html`<p class="why-verdict">
            Event time is held by the source <b>${name(holding.vertexId)}</b> subtask <b class="num">${holding.subtaskIndex}</b>: its output watermark is
            <b class="num">${formatWatermark(holding.outputWatermark)}</b>${holding.split ? html`, split <b class="mono">${holding.split.split}</b> at <span class="num">${formatWatermark(holding.split.watermark)}</span>` : null}.
          </p>`
        : html`<p class="why-verdict" data-vertex-id=${holding.vertexId}>
            <b>${name(holding.vertexId)}</b> subtask <b class="num">${holding.subtaskIndex}</b>${' '}
            ${holding.inputWatermark === -Infinity
              ? html`has had no watermark yet${why.detailed ? html` on input ${holding.input.input}` : null}: its windows and event-time timers cannot fire. Does the source assign a watermark strategy?`
              : html`has the lowest input watermark, <b class="num">${formatWatermark(holding.inputWatermark)}</b>${why.detailed ? html` on input ${holding.input.input}` : null}.`}
            ${holding.lowest
              ? html` It waits for <b>${name(holding.lowest.upstreamVertexId)}</b> subtask <b class="num">${holding.lowest.upstreamSubtask}</b>
                  (at <span class="num">${formatWatermark(holding.lowest.watermark)}</span>)${holding.split ? html`, whose split <b class="mono">${holding.split.split}</b> is at <span class="num">${formatWatermark(holding.split.watermark)}</span>` : null}.`
              : why.detailed
                ? ' None of its channels is aligned yet.'
                : ' (The REST API reports no inputs or channels to say more.)'}
          </p>`}
    <h3>Idle inputs <span class="muted">(left out of every minimum)</span></h3>
    ${why.idle.length === 0
      ? html`<div class="empty">${why.detailed ? 'No input is idle.' : 'Not reported.'}</div>`
      : html`<ul class="idle-list">
          ${why.idle.map(
            (idle) => html`<li key=${`${idle.vertexId}/${idle.subtaskIndex}/${idle.input}`}>
              <b>${name(idle.vertexId)}</b> subtask <span class="num">${idle.subtaskIndex}</span>, input ${idle.input}:
              ${idle.whole ? ' the whole input is idle' : ` ${idle.channels.length} idle channel${idle.channels.length === 1 ? '' : 's'}`}
              ${idle.channels.length > 0 ? html` (from ${idle.channels.map((channel) => `${name(channel.upstreamVertexId)}#${channel.upstreamSubtask}`).join(', ')})` : null}
            </li>`,
          )}
        </ul>`}
    ${why.unavailable.length > 0
      ? html`<details class="unavailable"><summary>${why.unavailable.length} subtask${why.unavailable.length === 1 ? '' : 's'} without watermarks</summary>
          <ul>${why.unavailable.map((item) => html`<li key=${`${item.vertexId}/${item.subtaskIndex}`}>${name(item.vertexId)} #${item.subtaskIndex}: ${item.reason}</li>`)}</ul>
        </details>`
      : null}
  </div>`;
}
