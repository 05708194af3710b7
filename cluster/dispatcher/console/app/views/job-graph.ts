// The job graph, left to right: one box per vertex with its name, parallelism, records in and out
// per second, and its colour for busy / backpressured / idle. Boxes are fixed in size and place, so
// the picture holds still while the figures change. A click selects the vertex for the tables below.
import type { JobDetails } from '../lib/rest-shapes.ts';
import { edgePath, layoutGraph } from '../lib/graph-layout.ts';
import { formatCount, formatPercent, formatRate } from '../lib/format.ts';
import { type VertexFigures, jobEdges } from '../lib/vertex-figures.ts';
import { html, useMemo } from '../ui/html.ts';
import { LoadBar } from '../ui/widgets.ts';

const BOX_WIDTH = 260;
const BOX_HEIGHT = 96;

const LOAD_LABEL = { busy: 'busy', backpressured: 'backpressured', idle: 'idle', unknown: 'no metrics yet' } as const;

export function JobGraph({ job, figures, selected, onSelect }: { job: JobDetails; figures: ReadonlyMap<string, VertexFigures>; selected: string | null; onSelect: (vertexId: string) => void }) {
  const shape = job.vertices.map((vertex) => vertex.id).join(',') + '|' + jobEdges(job).map((edge) => `${edge.source}>${edge.target}`).join(',');
  // Laid out again only when the graph's shape changes, never for new figures.
  const layout = useMemo(() => layoutGraph(job.vertices, jobEdges(job), { nodeWidth: BOX_WIDTH, nodeHeight: BOX_HEIGHT }), [shape]);
  const byId = new Map(job.vertices.map((vertex) => [vertex.id, vertex]));
  return html`<div class="graph-scroll">
    <div class="graph" style=${{ width: `${layout.width}px`, height: `${layout.height}px` }}>
      <svg class="graph-edges" width=${layout.width} height=${layout.height} aria-hidden="true">
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" /></marker></defs>
        ${layout.edges.map((edge) => {
          const middle = edge.points[Math.floor(edge.points.length / 2)];
          return html`<g key=${`${edge.source}>${edge.target}`}>
            <path d=${edgePath(edge.points)} marker-end="url(#arrow)" />
            ${edge.label && middle ? html`<text x=${middle.x} y=${middle.y - 5} text-anchor="middle">${edge.label}</text>` : null}
          </g>`;
        })}
      </svg>
      ${layout.nodes.map((node) => {
        const vertex = byId.get(node.id);
        if (!vertex) return null;
        const figure = figures.get(node.id);
        const load = figure?.load ?? 'unknown';
        return html`<button
          type="button"
          key=${node.id}
          class=${`vertex load-${load} ${selected === node.id ? 'selected' : ''}`}
          data-vertex-id=${node.id}
          data-load=${load}
          style=${{ left: `${node.x}px`, top: `${node.y}px`, width: `${node.width}px`, height: `${node.height}px` }}
          title=${`${vertex.name}\n${LOAD_LABEL[load]}`}
          onClick=${() => onSelect(node.id)}
        >
          <div class="vertex-head"><span class="vertex-name">${vertex.name}</span><span class="vertex-p num">p=${vertex.parallelism}</span></div>
          <div class="vertex-rates num">
            <span title="records in per second">in <b data-field="in-rate">${formatRate(figure?.recordsInPerSecond)}</b></span>
            <span title="records out per second">out <b data-field="out-rate">${formatRate(figure?.recordsOutPerSecond)}</b></span>
          </div>
          <div class="vertex-counts num">
            <span title="records in">Σ <span data-field="records-in" data-value=${figure?.recordsIn ?? ''}>${formatCount(figure?.recordsIn)}</span></span>
            <span title="records out">Σ <span data-field="records-out" data-value=${figure?.recordsOut ?? ''}>${formatCount(figure?.recordsOut)}</span></span>
          </div>
          <${LoadBar} shares=${figure?.shares ?? null} />
          <div class="vertex-load num">
            <span class="load-label">${LOAD_LABEL[load]}</span>
            <span>${figure?.shares ? `${formatPercent(figure.shares.busy)} busy · ${formatPercent(figure.shares.backpressured)} bp` : ''}</span>
          </div>
        </button>`;
      })}
    </div>
  </div>`;
}
