// The TaskManagers: each one's slots with the tasks in them, its memory, event-loop delay and GC, and
// a chart of heap and event-loop delay over the last minutes (kept in the browser).
import type { MetricValues, TaskManagerShape, TaskManagers } from '../lib/rest-shapes.ts';
import { heartbeatAge, metricOf } from '../lib/rest-shapes.ts';
import { formatBytes, formatDuration, shortActor, shortId } from '../lib/format.ts';
import { MetricHistory } from '../lib/metric-history.ts';
import { type ChartSeries, LineChart } from '../ui/chart.ts';
import { html, useMemo } from '../ui/html.ts';
import { usePoll } from '../ui/poll.ts';
import { jobHref } from '../ui/router.ts';
import { Figure, InlineError, Panel, Placeholder, UsageBar } from '../ui/widgets.ts';

/** Kept across page changes: the chart goes on where it was when the user comes back. */
const history = new MetricHistory();

const MIB = 1024 * 1024;
const SERIES: readonly ChartSeries[] = [
  { label: 'heap used', color: '#4c8dff', axis: 'left', format: (value) => `${Math.round(value)} MiB` },
  { label: 'event-loop p99', color: '#f29d38', axis: 'right', format: (value) => `${value.toFixed(value < 10 ? 1 : 0)} ms` },
];

const HEAP_USED = ['heapUsedBytes', 'heapUsed', 'Status.JVM.Memory.Heap.Used'];
const HEAP_TOTAL = ['heapTotalBytes', 'heapCommitted', 'heapMax'];
const RSS = ['rssBytes', 'rss'];
const LOOP_P50 = ['eventLoopDelayP50Ms', 'eventLoopDelayP50'];
const LOOP_P99 = ['eventLoopDelayP99Ms', 'eventLoopDelayP99'];
const GC_PER_SECOND = ['gcTimeMsPerSecond'];
const UPTIME = ['uptimeMs', 'uptime'];

export function TaskManagersView() {
  const list = usePoll<TaskManagers>('/taskmanagers');
  return html`<div class="view view-taskmanagers">
    <${InlineError} error=${list.error} />
    ${list.data === null
      ? html`<${Placeholder} text="Loading TaskManagers…" />`
      : list.data.taskmanagers.length === 0
        ? html`<div class="empty">No TaskManager has registered.</div>`
        : list.data.taskmanagers.map((tm) => html`<${TaskManagerCard} key=${tm.id} summary=${tm} at=${list.at} />`)}
  </div>`;
}

function TaskManagerCard({ summary, at }: { summary: TaskManagerShape; at: number | null }) {
  const details = usePoll<TaskManagerShape>(`/taskmanagers/${encodeURIComponent(summary.id)}`);
  const tm = details.data ?? summary;
  const metrics: MetricValues | null = tm.metrics ?? summary.metrics ?? null;
  const sampledAt = details.at ?? at;
  const heapUsed = metricOf(metrics, ...HEAP_USED);
  const heapTotal = metricOf(metrics, ...HEAP_TOTAL);
  if (sampledAt !== null && metrics) history.record(tm.id, { at: sampledAt, values: [heapUsed === null ? null : heapUsed / MIB, metricOf(metrics, ...LOOP_P99)] });
  const data = useMemo(() => history.aligned(tm.id, SERIES.length), [tm.id, sampledAt]);
  const slots = slotsOf(tm);
  const age = heartbeatAge(tm.timeSinceLastHeartbeat, Date.now());
  return html`<${Panel} title=${tm.id} id=${`tm-${tm.id}`} actions=${html`<span class="mono muted" title=${tm.path}>${shortActor(tm.path)}${tm.dataPort ? ` · data :${tm.dataPort}` : ''}</span>`}>
    <${InlineError} error=${details.error ?? tm['metrics-unavailable'] ?? null} />
    <div class="figures small">
      <${Figure} label="Slots in use" value=${`${tm.slotsNumber - tm.freeSlots} / ${tm.slotsNumber}`} detail=${html`<${UsageBar} ratio=${tm.slotsNumber > 0 ? (tm.slotsNumber - tm.freeSlots) / tm.slotsNumber : 0} />`} />
      <${Figure} label="Heap used" value=${formatBytes(heapUsed)} detail=${heapTotal === null ? null : html`of ${formatBytes(heapTotal)}`} />
      <${Figure} label="RSS" value=${formatBytes(metricOf(metrics, ...RSS))} />
      <${Figure} label="Event-loop delay" value=${msOf(metricOf(metrics, ...LOOP_P99))} detail=${html`p99 · p50 ${msOf(metricOf(metrics, ...LOOP_P50))}`} />
      <${Figure} label="GC" value=${`${msOf(metricOf(metrics, ...GC_PER_SECOND))}/s`} />
      <${Figure} label="Uptime" value=${formatDuration(metricOf(metrics, ...UPTIME))} detail=${age === null ? null : `heartbeat ${formatDuration(age)} ago`} />
    </div>
    <div class="tm-body">
      <div class="slots" data-testid="slots">
        ${slots.length === 0
          ? html`<div class="empty">Slots not reported.</div>`
          : slots.map(
              (slot) => html`<div key=${slot.index} class=${`slot ${slot.jobId ? 'slot-used' : 'slot-free'}`} data-slot=${slot.index}>
                <div class="slot-head"><span class="num">slot ${slot.index}</span>${slot.jobId ? html`<a class="mono" href=${jobHref(slot.jobId)} title=${slot.jobId}>${shortId(slot.jobId)}</a>` : html`<span class="muted">free</span>`}</div>
                <ul class="slot-tasks">${slot.tasks.map((task) => html`<li key=${task} class="ellipsis" title=${task}>${task}</li>`)}</ul>
              </div>`,
            )}
      </div>
      <div class="tm-chart">${metrics ? html`<${LineChart} series=${SERIES} data=${data} />` : html`<div class="empty chart-placeholder">No metrics reported${tm['metrics-unavailable'] ? `: ${tm['metrics-unavailable']}` : ''}.</div>`}</div>
    </div>
  <//>`;
}

function msOf(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

/** Weir's `slots` with their tasks, else Flink's `allocatedSlots` and free ones up to slotsNumber. */
function slotsOf(tm: TaskManagerShape): { index: number; jobId: string | null; tasks: readonly string[] }[] {
  if (tm.slots) return tm.slots.map((slot) => ({ index: slot.index, jobId: slot.jobId, tasks: slot.tasks }));
  if (!tm.allocatedSlots) return [];
  const used = tm.allocatedSlots.map((slot, position) => ({ index: slot.index ?? position, jobId: slot.jobId ?? null, tasks: slot.tasks ?? [] }));
  const free = Array.from({ length: Math.max(0, tm.slotsNumber - used.length) }, (_unused, offset) => ({ index: used.length + offset, jobId: null, tasks: [] as string[] }));
  return [...used, ...free];
}
