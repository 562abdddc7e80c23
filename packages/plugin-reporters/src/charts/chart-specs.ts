/**
 * Vega-Lite specs for the report's charts, shared by the `plots` reporter (SVG/PNG) and the `html`
 * reporter (interactive). Every chart colours servers the same way and marks generator-bound points.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  GENERATOR_BOUND,
  MEASURED,
  panelOrder,
  SPECTRUM_TICKS,
  spectrumRows,
  sweepRows,
  timeRows,
} from '../model/chart-data.js';
import { paramLabel, type ReportModel } from '../model/sweep-model.js';

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

/** Every chart the results support, in report order. */
export function buildCharts(model: ReportModel, size: ChartSize): Chart[] {
  const charts = [
    metricChart(model, size, 'rps'),
    spectrumChart(model, size),
    metricChart(model, size, 'cpu'),
    timeChart(model, size),
  ];
  return charts.filter((c): c is Chart => c !== undefined);
}

type Metric = 'rps' | 'cpu';

const METRICS = {
  rps: {
    name: 'throughput',
    field: 'rps',
    min: 'rpsMin',
    max: 'rpsMax',
    axis: 'requests/s',
    heading: 'Throughput (requests/s)',
  },
  cpu: {
    name: 'cpu-per-request',
    field: 'cpuUsPerRequest',
    min: 'cpuMin',
    max: 'cpuMax',
    axis: 'server CPU (µs per request)',
    heading: 'Server CPU per request (µs, user + system)',
  },
} as const;

/** Requests/s or CPU µs/req: a line per server against the swept parameter, or bars per server. */
function metricChart(model: ReportModel, size: ChartSize, metric: Metric): Chart | undefined {
  const m = METRICS[metric];
  const values = sweepRows(model).filter((r) => r[m.field] !== null);
  if (values.length === 0) return undefined;
  const color = serverColor(model);
  const y = { field: m.field, type: 'quantitative', title: m.axis, scale: { zero: true } };
  const bound = {
    field: 'bound',
    type: 'nominal',
    title: 'bottleneck',
    scale: { domain: [MEASURED, GENERATOR_BOUND], range: ['circle', 'triangle-up'] },
  };
  const tooltip = [
    { field: 'server' },
    ...(model.x ? [{ field: 'x', title: paramLabel(model.x.key) }] : []),
    { field: m.field, title: `${m.axis} (median)`, format: ',.1f' },
    { field: m.min, title: 'min', format: ',.1f' },
    { field: m.max, title: 'max', format: ',.1f' },
    { field: 'repeats' },
    { field: 'bound', title: 'bottleneck' },
  ];
  const errorbar = {
    mark: { type: 'errorbar', ticks: true },
    encoding: { y: { field: m.min, type: 'quantitative', title: m.axis }, y2: { field: m.max } },
  };
  let layer: object[];
  let x: object;
  if (model.x) {
    x = xEncoding(model);
    layer = [
      { mark: { type: 'line', strokeWidth: 2 }, encoding: { y } },
      errorbar,
      { mark: { type: 'point', filled: true, size: 90, opacity: 1 }, encoding: { y, shape: bound, tooltip } },
    ];
  } else {
    x = { field: 'server', type: 'nominal', title: 'server', sort: model.servers, axis: { labelAngle: 0 } };
    // Bars carry no shape, so a black triangle over the error bar marks generator-bound servers.
    const boundMarker = {
      transform: [{ filter: `datum.bound === '${GENERATOR_BOUND}'` }],
      mark: { type: 'point', filled: true, size: 140, yOffset: -12 },
      encoding: {
        y: { field: m.max, type: 'quantitative' },
        shape: { ...bound, scale: { domain: [GENERATOR_BOUND], range: ['triangle-down'] } },
        color: { value: 'black' },
        tooltip,
      },
    };
    layer = [
      { mark: { type: 'bar', width: { band: 0.6 } }, encoding: { y, tooltip } },
      {
        ...errorbar,
        mark: { ...errorbar.mark, size: 16 },
        encoding: { ...errorbar.encoding, color: { value: 'black' } },
      },
      ...(values.some((r) => r.bound === GENERATOR_BOUND) ? [boundMarker] : []),
    ];
  }
  const against = model.x ? ` against ${paramLabel(model.x.key)}` : ' by server';
  const title = `${m.heading}${against}`;
  const marker = model.x ? '▲' : '▼';
  const subtitle = `median of repeats, error bars min–max; ${marker} generator-bound (the load generator was the bottleneck)`;
  const inner = { encoding: { x, color }, layer };
  return { name: m.name, title, spec: wrap(model, size, { text: title, subtitle }, values, inner, 'group') };
}

/** HdrHistogram-style latency by percentile: x = 1/(1-p) on a log axis, one line per server. */
function spectrumChart(model: ReportModel, size: ChartSize): Chart | undefined {
  const values = spectrumRows(model).map((r) => ({ ...r, latencyMs: Math.max(r.latencyMs, 0.001) }));
  if (values.length === 0) return undefined;
  const maxInverse = Math.max(...values.map((r) => r.inverse));
  const ticks = SPECTRUM_TICKS.filter((t) => t.inverse <= maxInverse * 1.01);
  const labelExpr = ticks.map((t) => `datum.value == ${t.inverse} ? '${t.label}' : `).join('') + "''";
  const latencies = values.map((r) => r.latencyMs);
  const inner = {
    encoding: {
      x: {
        field: 'inverse',
        type: 'quantitative',
        title: 'percentile',
        scale: { type: 'log', domain: [1, Math.max(maxInverse, 10)], nice: false },
        axis: { values: ticks.map((t) => t.inverse), labelExpr, grid: true },
      },
      y: {
        field: 'latencyMs',
        type: 'quantitative',
        title: 'latency (ms, log scale)',
        scale: { type: 'log' },
        axis: { values: logTicks(Math.min(...latencies), Math.max(...latencies)), format: '~g' },
      },
      color: serverColor(model),
      strokeDash: boundDash(),
      tooltip: [
        { field: 'server' },
        { field: 'panel', title: 'point' },
        { field: 'percentile', format: '.4f' },
        { field: 'latencyMs', title: 'latency (ms)', format: ',.3f' },
        { field: 'bound', title: 'bottleneck' },
      ],
    },
    mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after' },
  };
  const title = 'Latency by percentile (HdrHistogram spectrum)';
  const subtitle = 'repeats merged; log axes; dashed: generator-bound (the load generator was the bottleneck)';
  return {
    name: 'latency-spectrum',
    title,
    spec: wrap(model, size, { text: title, subtitle }, values, inner, 'panel'),
  };
}

/** Requests per second in each second of the measured phase, one line per server. */
function timeChart(model: ReportModel, size: ChartSize): Chart | undefined {
  const values = timeRows(model);
  // A run of one second or less has one sample per series: nothing to draw a line through.
  const samples = new Map<string, number>();
  for (const r of values) samples.set(`${r.panel}\0${r.server}`, (samples.get(`${r.panel}\0${r.server}`) ?? 0) + 1);
  if (![...samples.values()].some((n) => n >= 2)) return undefined;
  const inner = {
    encoding: {
      x: {
        field: 'elapsedS',
        type: 'quantitative',
        title: 'time into the measured phase (s)',
        axis: { tickMinStep: 1 },
        scale: { zero: true },
      },
      y: { field: 'rps', type: 'quantitative', title: 'requests/s', scale: { zero: true } },
      color: serverColor(model),
      strokeDash: boundDash(),
      tooltip: [
        { field: 'server' },
        { field: 'panel', title: 'point' },
        { field: 'elapsedS', title: 'second ending at (s)' },
        { field: 'rps', title: 'requests/s', format: ',.0f' },
        { field: 'errors', title: 'errors/s' },
        { field: 'bound', title: 'bottleneck' },
      ],
    },
    mark: { type: 'line', strokeWidth: 2 },
  };
  const title = 'Throughput over time (requests/s, each second)';
  const subtitle = 'median of repeats per second; dashed: generator-bound (the load generator was the bottleneck)';
  return {
    name: 'throughput-over-time',
    title,
    spec: wrap(model, size, { text: title, subtitle }, values, inner, 'panel'),
  };
}

/** Solid lines for server-bound series, dashed for generator-bound ones. */
function boundDash(): object {
  return {
    field: 'bound',
    type: 'nominal',
    title: 'bottleneck',
    scale: {
      domain: [MEASURED, GENERATOR_BOUND],
      range: [
        [1, 0],
        [6, 4],
      ],
    },
  };
}

/** 1-2-5 ticks per decade between `min` and `max` (log axes otherwise draw a line at every integer multiple). */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let decade = Math.floor(Math.log10(min)); decade <= Math.ceil(Math.log10(max)); decade++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** decade).toPrecision(1));
      if (v >= min / 2 && v <= max * 2) ticks.push(v);
    }
  }
  return ticks;
}

function serverColor(model: ReportModel): object {
  return { field: 'server', type: 'nominal', title: 'server', scale: { domain: model.servers } };
}

/** The swept parameter on x: a log axis for doubling sweeps (log2 for connections), else linear or ordinal. */
function xEncoding(model: ReportModel): object {
  const { key, values } = model.x!;
  const title = paramLabel(key);
  const numbers = values.filter((v): v is number => typeof v === 'number');
  if (numbers.length !== values.length)
    return { field: 'x', type: 'ordinal', title, sort: values, axis: { labelAngle: 0 } };
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  // Plain integers read best (1024 connections, not 1.024k); SI prefixes only for large values.
  const format = max >= 100_000 ? '~s' : 'd';
  if (min > 0 && max / min >= 4) {
    const base = key === 'connections' || key === 'threads' || key === 'idleConnections' ? 2 : 10;
    const pad = base ** 0.25; // a quarter step of margin so end points sit off the frame
    return {
      field: 'x',
      type: 'quantitative',
      title,
      scale: { type: 'log', base, domain: [min / pad, max * pad], nice: false },
      axis: { values: numbers, format, grid: true },
    };
  }
  return {
    field: 'x',
    type: 'quantitative',
    title,
    scale: { zero: false, nice: false, domain: [min, max] },
    axis: { values: numbers, format },
  };
}

/**
 * Wraps a layer or unit spec with data and title: one panel, or a wrapped facet per `facetField`
 * value when the data has several (sweep groups, or sweep values for the spectrum).
 */
function wrap(
  model: ReportModel,
  size: ChartSize,
  title: object,
  values: object[],
  inner: object,
  facetField: 'group' | 'panel',
): TopLevelSpec {
  const panels = facetField === 'panel' ? panelOrder(model) : model.groups.map((g) => g.title);
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
      field: facetField,
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
