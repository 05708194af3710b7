// One job: its header (state, times, cancel), its graph, the selected vertex's subtasks, why there is
// no output, its exceptions and its checkpoints. Everything polls once a second while the page is open.
import type { JobCheckpoints, JobDetails, JobExceptions, SlotWait, VertexDetails, VertexWatermarks } from '../lib/rest-shapes.ts';
import { formatDuration, formatTimestamp } from '../lib/format.ts';
import { RateTracker } from '../lib/rates.ts';
import { vertexFigures } from '../lib/vertex-figures.ts';
import { html, useMemo, useRef, useState } from '../ui/html.ts';
import { errorOf, usePoll } from '../ui/poll.ts';
import { usePollMany } from '../ui/poll-many.ts';
import { traceHref } from '../ui/router.ts';
import { InlineError, Panel, Placeholder, StateBadge, TERMINAL_STATES } from '../ui/widgets.ts';
import { Checkpoints } from './checkpoints.ts';
import { Exceptions } from './exceptions.ts';
import { JobGraph } from './job-graph.ts';
import { SubtaskTable } from './subtask-table.ts';
import { WhyNoOutput } from './why-no-output.ts';

/** "Why no output?" is a question of seconds, not of every poll: its watermarks are asked for less often. */
const WATERMARKS_INTERVAL_MS = 3_000;

export function JobView({ jobId }: { jobId: string }) {
  const base = `/jobs/${encodeURIComponent(jobId)}`;
  const details = usePoll<JobDetails>(base);
  const exceptions = usePoll<JobExceptions>(`${base}/exceptions`);
  const checkpoints = usePoll<JobCheckpoints>(`${base}/checkpoints`);
  const job = details.data;
  const vertexIds = job?.vertices.map((vertex) => vertex.id) ?? [];
  const [selected, setSelected] = useState<string | null>(null);
  const selectedId = selected !== null && vertexIds.includes(selected) ? selected : (vertexIds[0] ?? null);
  // Only the selected vertex's subtasks are asked for: the graph's figures come with the job.
  const selectedVertex = usePoll<VertexDetails>(selectedId === null ? null : `${base}/vertices/${encodeURIComponent(selectedId)}`);
  const watermarkAnswers = usePollMany<VertexWatermarks>(
    vertexIds.map((id) => `${base}/vertices/${encodeURIComponent(id)}/input-watermarks`),
    WATERMARKS_INTERVAL_MS,
  );
  const rates = useRef(new RateTracker());
  const figures = useMemo(() => (job ? vertexFigures(job, details.at, rates.current) : new Map()), [job]);

  if (!job) {
    return html`<div class="view view-job">
      <${InlineError} error=${details.status === 404 ? `No job ${jobId} on this cluster.` : details.error} />
      <${Placeholder} text=${details.error ? '' : 'Loading the job…'} />
    </div>`;
  }
  const selectedName = job.vertices.find((vertex) => vertex.id === selectedId)?.name ?? '';
  const history = exceptions.data?.exceptionHistory?.entries.length ?? 0;
  return html`<div class="view view-job" data-job-id=${job.jid}>
    <header class="job-head">
      <div class="job-title">
        <h1 class="ellipsis" title=${job.name}>${job.name}</h1>
        <${StateBadge} state=${job.state} />
      </div>
      <dl class="job-facts num">
        <div><dt>ID</dt><dd class="mono">${job.jid}</dd></div>
        <div><dt>Started</dt><dd>${formatTimestamp(job['start-time'])}</dd></div>
        <div><dt>Duration</dt><dd>${formatDuration(job.duration)}</dd></div>
      </dl>
      <div class="job-actions">
        <a class="button" href=${traceHref(job.jid)}>Trace this job</a>
        <${CancelButton} path=${base} disabled=${TERMINAL_STATES.has(job.state)} />
      </div>
    </header>
    <${InlineError} error=${details.error} />
    ${job['waiting-for-slots'] !== undefined ? html`<${SlotWaitNotice} wait=${job['waiting-for-slots']} />` : null}
    <${Panel} title="Job graph" id="job-graph">
      <${JobGraph} job=${job} figures=${figures} selected=${selectedId} onSelect=${setSelected} />
      <div class="legend"><span class="key load-busy"></span>busy <span class="key load-backpressured"></span>backpressured <span class="key load-idle"></span>idle</div>
    <//>
    <${Panel} title=${`Subtasks of ${selectedName}`} id="subtasks">
      <${InlineError} error=${selectedVertex.error} />
      ${selectedVertex.data && selectedVertex.data.id === selectedId
        ? html`<div class="table-scroll"><${SubtaskTable} vertex=${selectedVertex.data} /></div>`
        : html`<${Placeholder} text="Loading subtasks…" />`}
    <//>
    <${Panel} title="Why no output?" id="why-no-output">
      <${WhyNoOutput} job=${job} answers=${watermarkAnswers} />
    <//>
    <${Panel} title=${`Exceptions${history > 0 ? ` (${history})` : ''}`} id="exceptions">
      <${InlineError} error=${exceptions.error} />
      ${exceptions.data ? html`<${Exceptions} exceptions=${exceptions.data} />` : html`<${Placeholder} text="Loading exceptions…" />`}
    <//>
    ${checkpoints.data && hasCheckpoints(checkpoints.data)
      ? html`<${Panel} title="Checkpoints" id="checkpoints"><${Checkpoints} checkpoints=${checkpoints.data} /><//>`
      : null}
  </div>`;
}

/** Checkpoints are shown once there are some (a job that does not checkpoint answers with zeros). */
function hasCheckpoints(checkpoints: JobCheckpoints): boolean {
  const { counts, latest } = checkpoints;
  return (counts.total ?? counts.completed + counts.failed) > 0 || (counts.in_progress ?? 0) > 0 || Boolean(latest?.completed ?? latest?.savepoint);
}

/** PATCH /jobs/:id?mode=cancel, Flink's cancel; the answer (or the refusal) shows beside the button. */
function CancelButton({ path, disabled }: { path: string; disabled: boolean }) {
  const [state, setState] = useState<{ busy: boolean; message: string | null; failed: boolean }>({ busy: false, message: null, failed: false });
  const cancel = async (): Promise<void> => {
    if (!confirm('Cancel this job?')) return;
    setState({ busy: true, message: null, failed: false });
    try {
      const response = await fetch(`${path}?mode=cancel`, { method: 'PATCH' });
      setState(response.ok ? { busy: false, message: 'Cancellation requested.', failed: false } : { busy: false, message: await errorOf(response), failed: true });
    } catch (error) {
      setState({ busy: false, message: `The cluster did not answer: ${error instanceof Error ? error.message : String(error)}`, failed: true });
    }
  };
  return html`<span class="cancel">
    <button type="button" class="button danger" disabled=${disabled || state.busy} onClick=${() => void cancel()}>${state.busy ? 'Cancelling…' : 'Cancel job'}</button>
    <span class=${state.failed ? 'inline-error' : 'muted'}>${state.message ?? ''}</span>
  </span>`;
}

/** Why a job sits in CREATED (or RESTARTING): what it needs, has, and what the cluster has free. */
function SlotWaitNotice({ wait }: { wait: SlotWait }) {
  const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;
  const text =
    `Waiting for slots: the job needs ${wait.needed} and has ${wait.granted}; ${wait['slots-available']} of ${wait['slots-total']} slots are free on ` +
    `${wait.taskmanagers} TaskManager${wait.taskmanagers === 1 ? '' : 's'}. It fails after ${seconds(wait['timeout-ms'])} of waiting (${seconds(wait['waited-ms'])} so far; slot.request.timeout).`;
  return html`<div class="notice num">${text}</div>`;
}
