// Small pieces every view uses: a panel, a figure, a state badge, a share bar, an inline error.
import type { LoadShares } from '../lib/vertex-load.ts';
import { formatPercent } from '../lib/format.ts';
import { type ComponentChildren, html } from './html.ts';

export function Panel({ title, actions, children, id }: { title: string; actions?: ComponentChildren; children?: ComponentChildren; id?: string }) {
  return html`<section class="panel" id=${id}>
    <header class="panel-head"><h2>${title}</h2>${actions ? html`<div class="panel-actions">${actions}</div>` : null}</header>
    <div class="panel-body">${children}</div>
  </section>`;
}

export function Figure({ label, value, detail, tone }: { label: string; value: ComponentChildren; detail?: ComponentChildren; tone?: string }) {
  return html`<div class=${`figure ${tone ? `tone-${tone}` : ''}`}>
    <div class="figure-label">${label}</div>
    <div class="figure-value num">${value}</div>
    <div class="figure-detail">${detail ?? '\u00a0'}</div>
  </div>`;
}

/** A job's or a subtask's state, coloured by what it means (running, done, failed, waiting). */
export function StateBadge({ state }: { state: string | null | undefined }) {
  const name = (state ?? 'UNKNOWN').toUpperCase();
  return html`<span class=${`badge state-${stateTone(name)}`} data-state=${name}>${name}</span>`;
}

export function stateTone(state: string): 'running' | 'done' | 'failed' | 'waiting' | 'other' {
  switch (state) {
    case 'RUNNING':
      return 'running';
    case 'FINISHED':
      return 'done';
    case 'FAILED':
    case 'FAILING':
      return 'failed';
    case 'CANCELED':
    case 'CANCELLING':
    case 'CANCELING':
    case 'SUSPENDED':
      return 'other';
    default:
      return 'waiting';
  }
}

export const TERMINAL_STATES: ReadonlySet<string> = new Set(['FINISHED', 'FAILED', 'CANCELED', 'SUSPENDED']);

/** Busy, backpressured and idle time as one bar of three parts. */
export function LoadBar({ shares }: { shares: LoadShares | null }) {
  if (!shares) return html`<div class="loadbar loadbar-unknown" title="no metrics yet"></div>`;
  const title = `busy ${formatPercent(shares.busy)} · backpressured ${formatPercent(shares.backpressured)} · idle ${formatPercent(shares.idle)}`;
  return html`<div class="loadbar" title=${title}>
    <span class="seg seg-busy" style=${{ width: `${shares.busy * 100}%` }}></span>
    <span class="seg seg-backpressured" style=${{ width: `${shares.backpressured * 100}%` }}></span>
    <span class="seg seg-idle" style=${{ width: `${shares.idle * 100}%` }}></span>
  </div>`;
}

/** A 0..1 usage as a thin bar (slots, buffers, heap). */
export function UsageBar({ ratio, title }: { ratio: number | null; title?: string }) {
  const width = ratio === null || !Number.isFinite(ratio) ? 0 : Math.min(1, Math.max(0, ratio)) * 100;
  return html`<div class="usagebar" title=${title}><span style=${{ width: `${width}%` }}></span></div>`;
}

export function InlineError({ error }: { error: string | null | undefined }) {
  return error ? html`<div class="inline-error" role="alert">${error}</div>` : null;
}

/** Shown instead of a table while its first answer is on its way (same height, so nothing jumps). */
export function Placeholder({ text }: { text: string }) {
  return html`<div class="placeholder">${text}</div>`;
}
