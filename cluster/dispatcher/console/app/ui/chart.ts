// A small uPlot line chart of fixed height that fills its container's width. The canvas is made
// once; new data only redraws it.
import uPlot from 'uplot';
import { HISTORY_SAMPLES } from '../lib/metric-history.ts';
import { html, useEffect, useRef } from './html.ts';

/** The charts span as many seconds as the history keeps one-second samples. */
const HISTORY_SECONDS = HISTORY_SAMPLES;

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  /** Which y axis: 'left' or 'right'. */
  readonly axis: 'left' | 'right';
  readonly format: (value: number) => string;
}

const AXIS_COLOR = '#8a94a6';
const GRID_COLOR = 'rgba(138, 148, 166, 0.18)';

export function LineChart({ series, data, height = 140 }: { series: readonly ChartSeries[]; data: uPlot.AlignedData; height?: number }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const leftFormat = series.find((item) => item.axis === 'left')?.format ?? String;
    const rightFormat = series.find((item) => item.axis === 'right')?.format ?? String;
    const axis = (scale: string, side: 1 | 3, format: (value: number) => string): uPlot.Axis => ({
      scale,
      side,
      stroke: AXIS_COLOR,
      grid: { stroke: GRID_COLOR, width: 1 },
      ticks: { stroke: GRID_COLOR, width: 1 },
      size: 64,
      values: (_self, ticks) => ticks.map((tick) => format(tick)),
    });
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      // The last HISTORY_SECONDS, however few samples there are yet: the chart fills in, never rescales.
      scales: { x: { time: true, range: (_self, _min, max) => [max - HISTORY_SECONDS, max] }, left: { range: (_self, _min, max) => [0, Math.max(1, max) * 1.15] }, right: { range: (_self, _min, max) => [0, Math.max(1, max) * 1.15] } },
      axes: [{ stroke: AXIS_COLOR, grid: { stroke: GRID_COLOR, width: 1 }, ticks: { stroke: GRID_COLOR, width: 1 } }, axis('left', 3, leftFormat), axis('right', 1, rightFormat)],
      series: [{}, ...series.map((item) => ({ label: item.label, stroke: item.color, width: 1.5, points: { show: false }, scale: item.axis, value: (_self: uPlot, value: number | null) => (value === null ? '—' : item.format(value)) }))],
    };
    chart.current = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => chart.current?.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, [series.map((item) => item.label).join(','), height]);
  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);
  return html`<div class="chart" ref=${container} style=${{ minHeight: `${height + 34}px` }}></div>`;
}
