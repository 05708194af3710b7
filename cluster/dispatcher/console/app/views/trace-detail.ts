// One traced message: where it went and when, and its payload's summary fields.
import type { TraceRow } from '../lib/trace-items.ts';
import { summaryFields } from '../lib/trace-items.ts';
import { formatBytes, formatTimestamp } from '../lib/format.ts';
import { html } from '../ui/html.ts';
import { jobHref } from '../ui/router.ts';

export function TraceDetail({ row }: { row: TraceRow | null }) {
  if (!row) return html`<div class="empty">Click a row to see its fields.</div>`;
  const { fields, more } = summaryFields(row.summary);
  return html`<div class="trace-detail" data-testid="trace-detail">
    <h3 class="type">${row.type}</h3>
    <table class="grid kv">
      <tbody>
        <tr><th>Time</th><td class="num">${formatTimestamp(row.at)}.${String(row.at % 1000).padStart(3, '0')}</td></tr>
        <tr><th>Sender</th><td class="mono wrap">${row.from ?? '—'}</td></tr>
        <tr><th>Recipient</th><td class="mono wrap">${row.to}</td></tr>
        <tr><th>Size</th><td class="num">${row.bytes === null ? 'local (not encoded)' : formatBytes(row.bytes)}</td></tr>
        <tr><th>Seen by</th><td class="mono">${row.system} (${row.direction})</td></tr>
        <tr><th>Job</th><td class="mono">${row.jobId ? html`<a href=${jobHref(row.jobId)}>${row.jobId}</a>` : '—'}</td></tr>
      </tbody>
    </table>
    <h3>Fields</h3>
    ${fields.length === 0
      ? html`<div class="empty">No summary for this message.</div>`
      : html`<table class="grid kv fields"><tbody>${fields.map(([name, value]) => html`<tr key=${name}><th class="mono">${name}</th><td class="mono wrap">${value}</td></tr>`)}</tbody></table>`}
    ${more > 0 ? html`<div class="muted">${more} more fields left out.</div>` : null}
  </div>`;
}
