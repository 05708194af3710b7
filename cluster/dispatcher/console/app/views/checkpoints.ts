// A job's checkpoints, once it takes them: counts, then the latest completed one.
import type { JobCheckpoints } from '../lib/rest-shapes.ts';
import { formatBytes, formatDuration, formatTimestamp } from '../lib/format.ts';
import { html } from '../ui/html.ts';
import { Figure } from '../ui/widgets.ts';

export function Checkpoints({ checkpoints }: { checkpoints: JobCheckpoints }) {
  const latest = checkpoints.latest?.completed ?? null;
  const counts = checkpoints.counts;
  return html`<div class="checkpoints">
    <div class="figures small">
      <${Figure} label="Completed" value=${counts.completed} tone="done" />
      <${Figure} label="Failed" value=${counts.failed} tone=${counts.failed > 0 ? 'failed' : undefined} />
      <${Figure} label="In progress" value=${counts.in_progress ?? 0} />
      <${Figure} label="Restored" value=${counts.restored ?? 0} />
    </div>
    ${latest
      ? html`<table class="grid kv">
          <tbody>
            <tr><th>Latest</th><td class="num">#${latest.id}${latest.is_savepoint ? ' (savepoint)' : ''}</td></tr>
            <tr><th>Completed at</th><td class="num">${formatTimestamp(latest.latest_ack_timestamp ?? null)}</td></tr>
            <tr><th>Duration</th><td class="num">${formatDuration(latest.end_to_end_duration ?? null)}</td></tr>
            <tr><th>Size</th><td class="num">${formatBytes(latest.state_size ?? latest.checkpointed_size ?? null)}</td></tr>
            <tr><th>Path</th><td class="mono ellipsis" title=${latest.external_path ?? ''}>${latest.external_path ?? '—'}</td></tr>
          </tbody>
        </table>`
      : html`<div class="empty">No checkpoint has completed yet.</div>`}
  </div>`;
}
