// The overview: the cluster's TaskManagers and slots, and its jobs (running first), as Flink's
// web UI opens on.
import { type ClusterOverview, type JobSummary, type JobsOverview, type TaskManagers, heartbeatAge } from '../lib/rest-shapes.ts';
import { formatDuration, formatTimestamp, shortActor, shortId } from '../lib/format.ts';
import { html } from '../ui/html.ts';
import { usePoll } from '../ui/poll.ts';
import { jobHref } from '../ui/router.ts';
import { Figure, InlineError, Panel, Placeholder, StateBadge, TERMINAL_STATES, UsageBar } from '../ui/widgets.ts';

export function OverviewView() {
  const overview = usePoll<ClusterOverview>('/overview');
  const jobs = usePoll<JobsOverview>('/jobs/overview');
  const taskManagers = usePoll<TaskManagers>('/taskmanagers');
  const o = overview.data;
  const slotsUsed = o ? o['slots-total'] - o['slots-available'] : null;
  const all = jobs.data?.jobs ?? [];
  const running = all.filter((job) => !TERMINAL_STATES.has(job.state)).sort(byStartDescending);
  const ended = all.filter((job) => TERMINAL_STATES.has(job.state)).sort(byStartDescending);
  return html`<div class="view view-overview">
    <div class="figures" data-testid="overview-figures">
      <${Figure} label="TaskManagers" value=${o ? o.taskmanagers : '—'} />
      <${Figure}
        label="Slots in use"
        value=${o ? `${slotsUsed} / ${o['slots-total']}` : '—'}
        detail=${o ? html`<${UsageBar} ratio=${o['slots-total'] > 0 ? (slotsUsed as number) / o['slots-total'] : 0} />` : null}
      />
      <${Figure} label="Running jobs" value=${o ? o['jobs-running'] : '—'} tone="running" />
      <${Figure} label="Finished" value=${o ? o['jobs-finished'] : '—'} tone="done" />
      <${Figure} label="Canceled" value=${o ? (o['jobs-cancelled'] ?? 0) : '—'} />
      <${Figure} label="Failed" value=${o ? (o['jobs-failed'] ?? 0) : '—'} tone=${o && (o['jobs-failed'] ?? 0) > 0 ? 'failed' : undefined} />
    </div>
    <${InlineError} error=${overview.error} />
    <${Panel} title="Running jobs" id="running-jobs">
      <${InlineError} error=${jobs.error} />
      ${jobs.data ? html`<${JobTable} jobs=${running} empty="No job is running." />` : jobs.error ? null : html`<${Placeholder} text="Loading jobs…" />`}
    <//>
    <${Panel} title="TaskManagers" id="overview-taskmanagers" actions=${html`<a href="#/taskmanagers">details →</a>`}>
      <${InlineError} error=${taskManagers.error} />
      ${taskManagers.data ? html`<${TaskManagerTable} data=${taskManagers.data} />` : taskManagers.error ? null : html`<${Placeholder} text="Loading TaskManagers…" />`}
    <//>
    <${Panel} title="Completed jobs" id="completed-jobs">
      ${jobs.data ? html`<${JobTable} jobs=${ended} empty="No job has ended yet." />` : jobs.error ? null : html`<${Placeholder} text="Loading jobs…" />`}
    <//>
  </div>`;
}

function byStartDescending(a: JobSummary, b: JobSummary): number {
  return b['start-time'] - a['start-time'];
}

function JobTable({ jobs, empty }: { jobs: readonly JobSummary[]; empty: string }) {
  if (jobs.length === 0) return html`<div class="empty">${empty}</div>`;
  return html`<table class="grid jobs">
    <colgroup><col class="w-name" /><col class="w-id" /><col class="w-state" /><col class="w-time" /><col class="w-duration" /><col class="w-tasks" /></colgroup>
    <thead><tr><th>Job</th><th>ID</th><th>State</th><th>Started</th><th class="r">Duration</th><th class="r">Tasks</th></tr></thead>
    <tbody>
      ${jobs.map(
        (job) => html`<tr key=${job.jid} data-job-id=${job.jid}>
          <td class="ellipsis"><a href=${jobHref(job.jid)} title=${job.name}>${job.name}</a></td>
          <td class="mono" title=${job.jid}>${shortId(job.jid)}</td>
          <td><${StateBadge} state=${job.state} /></td>
          <td class="num">${formatTimestamp(job['start-time'])}</td>
          <td class="num r">${formatDuration(job.duration)}</td>
          <td class="num r">${taskCounts(job.tasks)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** "3 / 4 running" from Flink's per-state subtask counts. */
function taskCounts(tasks: Readonly<Record<string, number>> | undefined): string {
  if (!tasks) return '—';
  const total = Object.entries(tasks).reduce((sum, [state, count]) => (state === 'total' ? sum : sum + count), 0);
  return `${tasks.running ?? tasks.RUNNING ?? 0} / ${tasks.total ?? total}`;
}

function heartbeatText(age: number | null): string {
  return age === null ? '—' : `${formatDuration(age)} ago`;
}

function TaskManagerTable({ data }: { data: TaskManagers }) {
  if (data.taskmanagers.length === 0) return html`<div class="empty">No TaskManager has registered.</div>`;
  return html`<table class="grid taskmanagers">
    <colgroup><col class="w-name" /><col class="w-path" /><col class="w-slots" /><col class="w-bar" /><col class="w-duration" /></colgroup>
    <thead><tr><th>TaskManager</th><th>Address</th><th class="r">Free / slots</th><th></th><th class="r">Last heartbeat</th></tr></thead>
    <tbody>
      ${data.taskmanagers.map(
        (tm) => html`<tr key=${tm.id} data-taskmanager-id=${tm.id}>
          <td class="mono ellipsis" title=${tm.id}>${tm.id}</td>
          <td class="mono ellipsis" title=${tm.path}>${shortActor(tm.path)}</td>
          <td class="num r">${tm.freeSlots} / ${tm.slotsNumber}</td>
          <td><${UsageBar} ratio=${tm.slotsNumber > 0 ? (tm.slotsNumber - tm.freeSlots) / tm.slotsNumber : 0} title="slots in use" /></td>
          <td class="num r">${heartbeatText(heartbeatAge(tm.timeSinceLastHeartbeat, Date.now()))}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
