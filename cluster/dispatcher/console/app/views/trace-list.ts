// The trace's rows, virtualised: only the rows in view are in the DOM, each of one fixed height, so
// thousands of rows scroll smoothly. The list follows the newest row while scrolled to the bottom.
import type { TraceRow } from '../lib/trace-items.ts';
import { formatBytes, formatClock, shortActor, shortId } from '../lib/format.ts';
import { html, useLayoutEffect, useRef, useState } from '../ui/html.ts';

export const ROW_HEIGHT = 24;
/** Rows rendered beyond each edge of the view, so a fast scroll does not show blanks. */
const OVERSCAN = 10;

export interface Selection {
  /** The clicked row. */
  readonly anchor: number | null;
  /** With shift-click, the other end of the span. */
  readonly end: number | null;
}

export function inSelection(selection: Selection, seq: number): boolean {
  if (selection.anchor === null) return false;
  const end = selection.end ?? selection.anchor;
  return seq >= Math.min(selection.anchor, end) && seq <= Math.max(selection.anchor, end);
}

export function TraceList({ rows, selection, onSelect, height }: { rows: readonly TraceRow[]; selection: Selection; onSelect: (seq: number, extend: boolean) => void; height: number }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const following = useRef(true);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && following.current) {
      element.scrollTop = element.scrollHeight;
      setScrollTop(element.scrollTop);
    }
  }, [rows.length, rows[rows.length - 1]?.seq]);

  const onScroll = (): void => {
    const element = scroller.current;
    if (!element) return;
    following.current = element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT;
    setScrollTop(element.scrollTop);
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  return html`<div class="trace-list" role="grid" aria-rowcount=${rows.length}>
    <div class="trace-row trace-head" role="row">
      <span>Time (UTC)</span><span>Sender</span><span>Recipient</span><span>Type</span><span class="r">Size</span><span>Job</span>
    </div>
    <div class="trace-scroll" ref=${scroller} onScroll=${onScroll} style=${{ height: `${height}px` }}>
      <div style=${{ height: `${rows.length * ROW_HEIGHT}px`, position: 'relative' }}>
        ${visible.map((row, offset) => {
          const index = first + offset;
          return html`<div
            key=${row.seq}
            role="row"
            class=${`trace-row ${inSelection(selection, row.seq) ? 'selected' : ''} dir-${row.direction}`}
            data-seq=${row.seq}
            data-type=${row.type}
            style=${{ top: `${index * ROW_HEIGHT}px` }}
            onClick=${(event: MouseEvent) => onSelect(row.seq, event.shiftKey)}
          >
            <span class="num">${formatClock(row.at)}</span>
            <span class="mono ellipsis" title=${row.from ?? ''}>${shortActor(row.from)}</span>
            <span class="mono ellipsis" title=${row.to}>${shortActor(row.to)}</span>
            <span class="ellipsis type" title=${row.type}>${row.type}</span>
            <span class="num r">${row.bytes === null ? '' : formatBytes(row.bytes)}</span>
            <span class="mono" title=${row.jobId ?? ''}>${row.jobId ? shortId(row.jobId) : ''}</span>
          </div>`;
        })}
      </div>
    </div>
  </div>`;
}
