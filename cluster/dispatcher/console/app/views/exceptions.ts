// A job's exceptions: the root cause, then the history (newest first), each with its stack trace
// folded away until opened.
import type { JobExceptions } from '../lib/rest-shapes.ts';
import { formatTimestamp } from '../lib/format.ts';
import { html } from '../ui/html.ts';

export function Exceptions({ exceptions }: { exceptions: JobExceptions }) {
  const entries = exceptions.exceptionHistory?.entries ?? [];
  const root = exceptions['root-exception'];
  if (!root && entries.length === 0) return html`<div class="empty">No exception so far.</div>`;
  return html`<div class="exceptions">
    ${root
      ? html`<div class="exception root">
          <div class="exception-head"><span class="badge state-failed">root cause</span><span class="num">${formatTimestamp(exceptions.timestamp ?? null)}</span></div>
          <pre class="stack">${root}</pre>
        </div>`
      : null}
    ${entries.map(
      (entry, index) => html`<details class="exception" key=${index} open=${index === 0 && !root}>
        <summary>
          <span class="num">${formatTimestamp(entry.timestamp ?? null)}</span>
          <span class="exception-name">${entry.exceptionName ?? 'Exception'}</span>
          ${entry.taskName ? html`<span class="muted">in ${entry.taskName}</span>` : null}
          ${entry.taskManagerId ? html`<span class="muted mono">on ${entry.taskManagerId}</span>` : null}
        </summary>
        <pre class="stack">${entry.stacktrace ?? ''}</pre>
      </details>`,
    )}
    ${exceptions.exceptionHistory?.truncated ? html`<div class="muted">Older exceptions were left out.</div>` : null}
  </div>`;
}
