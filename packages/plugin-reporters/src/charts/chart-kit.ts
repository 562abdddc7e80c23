/**
 * What every chart spec shares: the chart and size types, log axes with labelled ends, one colour per
 * server, the frame (title, data, a single panel or a wrapped facet) and the look.
 */
import type { TopLevelSpec } from 'vega-lite';

/** A chart ready to render: a file-name stem, a title and its spec. */
export interface Chart {
  /** File-name stem, e.g. `throughput`. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

/** Size of a chart panel, in CSS pixels. */
export interface ChartSize {
  width: number;
  height: number;
}

const PANEL = { width: 300, height: 240 };
const PANEL_COLUMNS = 3;

/**
 * A log-scale y axis over `values` whose ends are labelled: the domain runs from the 1-2-5 tick at
 * or below the smallest value to the one at or above the largest, so the axis never runs past its
 * lowest or highest label.
 */
export function logAxis(field: string, title: string, values: number[]): object {
  const ticks = logTicks(Math.min(...values), Math.max(...values));
  return {
    field,
    type: 'quantitative',
    title,
    scale: { type: 'log', domain: [ticks[0], ticks[ticks.length - 1]], nice: false },
    axis: { values: ticks, format: '~g' },
  };
}

/**
 * 1-2-5 ticks per decade from the largest one at or below `min` to the smallest one at or above
 * `max` (log axes otherwise draw a line at every integer multiple).
 */
export function logTicks(min: number, max: number): number[] {
  const all: number[] = [];
  for (let decade = Math.floor(Math.log10(min)) - 1; decade <= Math.ceil(Math.log10(max)); decade++)
    for (const m of [1, 2, 5]) all.push(Number((m * 10 ** decade).toPrecision(1)));
  const first = all.findLastIndex((v) => v <= min);
  const last = all.findIndex((v) => v >= max);
  return all.slice(Math.max(0, first), last === -1 ? all.length : last + 1);
}

/** One colour per server, in series order, the same in every chart. */
export function serverColor(servers: string[]): object {
  return { field: 'server', type: 'nominal', title: 'server', scale: { domain: servers } };
}

/**
 * Wraps a layer or unit spec with data and title: one panel, or a wrapped facet per value of
 * `facet.field` when there are several `facet.panels` (in that order).
 */
export function framed(
  size: ChartSize,
  title: object,
  values: object[],
  inner: object,
  facet: { field: string; panels: string[] },
): TopLevelSpec {
  const { field, panels } = facet;
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { ...title, anchor: 'start', fontSize: 16, subtitleFontSize: 12, subtitleColor: '#555' },
    data: { values },
    config: CONFIG,
  };
  if (panels.length <= 1) return { ...base, width: size.width, height: size.height, ...inner } as TopLevelSpec;
  return {
    ...base,
    facet: {
      field,
      type: 'nominal',
      title: null,
      sort: panels,
      header: { labelFontSize: 13, labelFontWeight: 'bold' },
    },
    columns: Math.min(PANEL_COLUMNS, panels.length),
    spec: { width: PANEL.width, height: PANEL.height, ...inner },
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}

const CONFIG = {
  font: 'DejaVu Sans',
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal' },
  legend: { labelFontSize: 12, titleFontSize: 12, symbolSize: 120, orient: 'right' },
  background: 'white',
  padding: 12,
};
