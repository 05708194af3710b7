// The message trace: every control-plane message of the cluster, live. Filters (job, actor glob,
// type glob) go to the server and narrow the rows already shown at once; pause holds new rows aside;
// a span of rows (click, then shift-click) shows as a sequence diagram; a row's fields show beside.
import { NO_FILTER, type TraceFilterInput, rowFilter } from '../lib/trace-items.ts';
import { formatCount } from '../lib/format.ts';
import { html, useEffect, useMemo, useState } from '../ui/html.ts';
import { useTraceStream } from '../ui/trace-stream.ts';
import { type Selection, TraceList, inSelection } from './trace-list.ts';
import { TraceDetail } from './trace-detail.ts';
import { TraceLanes } from './trace-lanes.ts';

/** How long typing in a filter waits before the stream is opened again with it. */
const FILTER_DEBOUNCE_MS = 350;
const LIST_HEIGHT = 480;

const STATUS_LABEL = { connecting: 'connecting…', open: 'live', reconnecting: 'reconnecting…' } as const;

export function TraceView({ job }: { job: string }) {
  const [draft, setDraft] = useState<TraceFilterInput>({ ...NO_FILTER, job });
  const [filter, setFilter] = useState<TraceFilterInput>({ ...NO_FILTER, job });
  const [paused, setPaused] = useState(false);
  const [mode, setMode] = useState<'fields' | 'lanes'>('fields');
  const [selection, setSelection] = useState<Selection>({ anchor: null, end: null });
  useEffect(() => {
    const timer = setTimeout(() => setFilter(draft), FILTER_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft.job, draft.actor, draft.type]);
  useEffect(() => setDraft((previous) => ({ ...previous, job })), [job]);

  const stream = useTraceStream(filter, paused);
  const shown = useMemo(() => {
    const keep = rowFilter(filter);
    return stream.rows.toArray().filter(keep);
  }, [stream.version, stream.rows.version, filter]);
  const selectedRows = useMemo(() => shown.filter((row) => inSelection(selection, row.seq)), [shown, selection]);
  const selectedRow = selection.anchor === null ? null : (shown.find((row) => row.seq === selection.anchor) ?? null);

  const select = (seq: number, extend: boolean): void => {
    setSelection((previous) => (extend && previous.anchor !== null ? { anchor: previous.anchor, end: seq } : { anchor: seq, end: null }));
    if (extend) setMode('lanes');
  };
  const input = (name: keyof TraceFilterInput, label: string, placeholder: string) => html`<label class="filter">
    <span>${label}</span>
    <input
      type="search"
      name=${name}
      value=${draft[name]}
      placeholder=${placeholder}
      spellcheck="false"
      autocomplete="off"
      onInput=${(event: Event) => setDraft((previous) => ({ ...previous, [name]: (event.target as HTMLInputElement).value }))}
    />
  </label>`;

  return html`<div class="view view-trace">
    <div class="trace-toolbar">
      ${input('job', 'Job', 'job id')} ${input('actor', 'Actor', 'glob, e.g. dispatcher, /user/**')} ${input('type', 'Type', 'glob, e.g. Submit*,Register*')}
      <button type="button" class=${`button ${paused ? 'primary' : ''}`} data-testid="pause" onClick=${() => setPaused(!paused)}>${paused ? '▶ Resume' : '❚❚ Pause'}</button>
      <button type="button" class="button" onClick=${() => stream.clear()}>Clear</button>
      <div class="trace-counters num">
        <span class=${`stream-status status-${paused ? 'paused' : stream.status}`} data-testid="stream-status">${paused ? `paused · ${formatCount(stream.pending.size)} new` : STATUS_LABEL[stream.status]}</span>
        <span title="rows shown / kept">rows <b data-testid="row-count">${shown.length}</b></span>
        <span title="messages the cluster did not trace, to keep its own messages flowing">dropped <b data-testid="dropped">${formatCount(stream.dropped)}</b></span>
        <span title="oldest rows let go to keep the list bounded">trimmed <b>${formatCount(stream.rows.evicted)}</b></span>
      </div>
    </div>
    <div class="trace-main">
      <${TraceList} rows=${shown} selection=${selection} onSelect=${select} height=${LIST_HEIGHT} />
      <aside class="trace-side">
        <div class="tabs">
          <button type="button" class=${mode === 'fields' ? 'tab active' : 'tab'} onClick=${() => setMode('fields')}>Fields</button>
          <button type="button" class=${mode === 'lanes' ? 'tab active' : 'tab'} data-testid="lanes-tab" onClick=${() => setMode('lanes')}>
            Lanes${selectedRows.length > 1 ? ` (${selectedRows.length})` : ''}
          </button>
        </div>
        <div class="side-body">${mode === 'fields' ? html`<${TraceDetail} row=${selectedRow} />` : html`<${TraceLanes} rows=${selectedRows} />`}</div>
      </aside>
    </div>
  </div>`;
}
