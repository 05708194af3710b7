// The selected span of the trace as a sequence diagram: a lane per actor, an arrow per message.
import type { TraceRow } from '../lib/trace-items.ts';
import { formatClock } from '../lib/format.ts';
import { laneDiagram } from '../lib/lanes.ts';
import { html } from '../ui/html.ts';

const LANE_WIDTH = 150;
const STEP = 26;
const TOP = 44;

export function TraceLanes({ rows }: { rows: readonly TraceRow[] }) {
  if (rows.length === 0) return html`<div class="empty">Select rows in the list (click one, shift-click another) to see them as a sequence diagram.</div>`;
  const diagram = laneDiagram(rows);
  const width = diagram.lanes.length * LANE_WIDTH + 90;
  const height = TOP + diagram.arrows.length * STEP + 16;
  const x = (lane: number): number => 90 + lane * LANE_WIDTH + LANE_WIDTH / 2;
  return html`<div class="lanes-scroll">
    <svg class="lanes" width=${width} height=${height} data-testid="lanes">
      <defs><marker id="lane-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" /></marker></defs>
      ${diagram.lanes.map(
        (lane, index) => html`<g key=${lane.actor} class="lane">
          <text x=${x(index)} y="16" text-anchor="middle" class="lane-label"><title>${lane.actor}</title>${ellipsize(lane.label, 22)}</text>
          <line x1=${x(index)} y1="26" x2=${x(index)} y2=${height - 4} />
        </g>`,
      )}
      ${diagram.arrows.map((arrow, index) => {
        const y = TOP + index * STEP + 10;
        const self = arrow.from === arrow.to;
        const [x1, x2] = [x(arrow.from), x(arrow.to)];
        return html`<g key=${index} class="message">
          <text x="4" y=${y + 4} class="lane-time">${formatClock(arrow.at).slice(3)}</text>
          ${self
            ? html`<path d=${`M${x1},${y - 6} h24 v12 h-22`} marker-end="url(#lane-arrow)" />`
            : html`<line x1=${x1} y1=${y} x2=${x2 + (x2 > x1 ? -3 : 3)} y2=${y} marker-end="url(#lane-arrow)" />`}
          <text x=${self ? x1 + 30 : (x1 + x2) / 2} y=${y - 4} text-anchor=${self ? 'start' : 'middle'} class="lane-type">${arrow.type}</text>
        </g>`;
      })}
    </svg>
    ${diagram.omitted > 0 ? html`<div class="muted">${diagram.omitted} more messages in the span are not drawn.</div>` : null}
  </div>`;
}

function ellipsize(text: string, length: number): string {
  return text.length > length ? `…${text.slice(text.length - length + 1)}` : text;
}
