/**
 * Vega-Lite specs for the report's charts, shared by the `plots` reporter (SVG/PNG) and the `html`
 * reporter (interactive). Every chart colours servers the same way and marks generator-bound and
 * overloaded points.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  GENERATOR_BOUND,
  MEASURED,
  OVERLOADED,
  panelOrder,
  SPECTRUM_TICKS,
  spectrumRows,
  sweepRows,
  type TimeRow,
  timeRows,
} from '../model/chart-data.js';
import { paramLabel, type ReportModel } from '../model/sweep-model.js';
import { type Chart, type ChartSize, framed, logAxis, serverColor } from './chart-kit.js';
import { hockeyStickChart } from './hockey-stick-spec.js';

export { type Chart, type ChartSize, logTicks } from './chart-kit.js';

/** Every chart the results support, in report order. */
export function buildCharts(model: ReportModel, size: ChartSize): Chart[] {
  const charts = [
    hockeyStickChart(model, size),
    metricChart(model, size, 'rps'),
    spectrumChart(model, size),
    metricChart(model, size, 'cpu'),
    timeChart(model, size),
    latencyTimeChart(model, size),
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
  const color = serverColor(model.servers);
  const bounds = boundsIn(values);
  const anyBound = bounds.length > 1;
  const y = { field: m.field, type: 'quantitative', title: m.axis, ...LINEAR_Y };
  const bound = {
    field: 'bound',
    type: 'nominal',
    title: 'bottleneck',
    scale: { domain: bounds, range: bounds.map((b) => BOUND_SHAPES[b]) },
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
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: { y, ...(anyBound ? { shape: bound } : {}), tooltip },
      },
    ];
  } else {
    x = { field: 'server', type: 'nominal', title: 'server', sort: model.servers, axis: { labelAngle: 0 } };
    // Bars carry no shape, so a black marker over the error bar marks generator-bound (a triangle)
    // and overloaded (a cross) servers.
    const marked = bounds.filter((b) => b !== MEASURED);
    const boundMarker = {
      transform: [{ filter: `datum.bound !== '${MEASURED}'` }],
      mark: { type: 'point', filled: true, size: 140, yOffset: -12 },
      encoding: {
        y: { field: m.max, type: 'quantitative' },
        shape: {
          ...bound,
          scale: { domain: marked, range: marked.map((b) => (b === GENERATOR_BOUND ? 'triangle-down' : 'cross')) },
        },
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
      ...(anyBound ? [boundMarker] : []),
    ];
  }
  const against = model.x ? ` against ${paramLabel(model.x.key)}` : ' by server';
  const title = `${m.heading}${against}`;
  const marker = model.x ? '▲' : '▼';
  const subtitle = [
    ...(values.some((r) => r.repeats > 1) ? ['median of repeats, error bars min–max'] : []),
    ...(bounds.includes(GENERATOR_BOUND) ? [`${marker} generator-bound (the load generator was the bottleneck)`] : []),
    ...(bounds.includes(OVERLOADED) ? [`✚ ${OVERLOADED_WORDS}`] : []),
  ].join('; ');
  const inner = { encoding: { x, color }, layer };
  return { name: m.name, title, spec: wrap(model, size, { text: title, subtitle }, values, inner, 'group') };
}

/** HdrHistogram-style latency by percentile: x = 1/(1-p) on a log axis, one line per server. */
function spectrumChart(model: ReportModel, size: ChartSize): Chart | undefined {
  const values = spectrumRows(model).map((r) => ({ ...r, latencyMs: Math.max(r.latencyMs, 0.001) }));
  if (values.length === 0) return undefined;
  const bounds = boundsIn(values);
  const anyBound = bounds.length > 1;
  const minInverse = Math.min(...values.map((r) => r.inverse));
  const maxInverse = Math.max(...values.map((r) => r.inverse));
  const ticks = SPECTRUM_TICKS.filter((t) => t.inverse <= maxInverse * 1.01);
  const labelExpr = ticks.map((t) => `datum.value == ${t.inverse} ? '${t.label}' : `).join('') + "''";
  const inner = {
    encoding: {
      x: {
        field: 'inverse',
        type: 'quantitative',
        title: 'percentile',
        scale: { type: 'log', domain: [minInverse, Math.max(maxInverse, 10)], nice: false },
        // Every percentile mark keeps its label: they are a decade apart, never on top of each other.
        axis: { values: ticks.map((t) => t.inverse), labelExpr, grid: true, labelOverlap: false },
      },
      y: logAxis(
        'latencyMs',
        'latency (ms, log scale)',
        values.map((r) => r.latencyMs),
      ),
      color: serverColor(model.servers),
      ...(anyBound ? { strokeDash: boundDash(bounds) } : {}),
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
  const subtitle = ['repeats merged; log axes', ...dashWords(bounds)].join('; ');
  return {
    name: 'latency-spectrum',
    title,
    spec: wrap(model, size, { text: title, subtitle }, values, inner, 'panel'),
  };
}

/** Seconds of the measured phase on x, from 0 to the end of the phase: second k spans [k, k+1). */
function timeAxis(values: TimeRow[]): object {
  const endS = Math.max(...values.map((r) => r.endS));
  return {
    field: 'startS',
    type: 'quantitative',
    title: 'time into the measured phase (s)',
    scale: { domain: [0, endS], nice: false },
    axis: {
      values: Array.from({ length: Math.floor(endS) + 1 }, (_, i) => i).filter(evenlyFew(endS)),
      format: '~f', // not 'd': see xEncoding
      grid: true,
    },
  };
}

/** At most about ten labelled seconds on a time axis. */
function evenlyFew(endS: number): (s: number) => boolean {
  const every = Math.max(1, Math.ceil(endS / 10));
  return (s) => s % every === 0;
}

/**
 * Step lines over the seconds (`x`: the time axis), with `lines` splitting them beyond colour; the
 * rows carry a closing copy of each series' last row, so that the last second draws its full
 * width. Tooltip points sit mid-second and stay out of the line legends.
 */
function stepLayers(x: object, y: object, tooltip: object[], lines: object = {}): object[] {
  return [
    { mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after' }, encoding: { x, y, ...lines } },
    {
      transform: [{ filter: '!datum.closing' }, { calculate: '(datum.startS + datum.endS) / 2', as: 'midS' }],
      mark: { type: 'point', filled: true, size: 30 },
      encoding: { x: { ...x, field: 'midS' }, y, tooltip },
    },
  ];
}

/** The rows of a step chart: every row, then each series' last row again at its end. */
function withClosingRows(values: TimeRow[]): Array<TimeRow & { closing?: true }> {
  const last = new Map<string, TimeRow>();
  for (const r of values) last.set(`${r.panel}\0${r.server}`, r);
  return [...values, ...[...last.values()].map((r) => ({ ...r, startS: r.endS, closing: true as const }))];
}

/** Requests per second in each second of the measured phase, one step line per server. */
function timeChart(model: ReportModel, size: ChartSize): Chart | undefined {
  const rows = timeRows(model);
  // A run of one second or less has one sample per series: nothing to draw over time.
  if (!hasSeries(rows)) return undefined;
  const bounds = boundsIn(rows);
  const anyBound = bounds.length > 1;
  const y = { field: 'rps', type: 'quantitative', title: 'requests/s', ...LINEAR_Y };
  const tooltip = [
    { field: 'server' },
    { field: 'panel', title: 'point' },
    { field: 'startS', title: 'second from (s)' },
    { field: 'rps', title: 'requests/s', format: ',.0f' },
    { field: 'errors', title: 'errors/s' },
    { field: 'bound', title: 'bottleneck' },
  ];
  const inner = {
    encoding: { color: serverColor(model.servers) },
    layer: stepLayers(timeAxis(rows), y, tooltip, anyBound ? { strokeDash: boundDash(bounds) } : {}),
  };
  const title = 'Throughput over time (requests/s, each second)';
  const subtitle = ['median of repeats per second', ...dashWords(bounds)].join('; ');
  return {
    name: 'throughput-over-time',
    title,
    spec: wrap(model, size, { text: title, subtitle }, withClosingRows(rows), inner, 'panel'),
  };
}

/** p50 and p99 of the requests completed in each second, one pair of step lines per server. */
function latencyTimeChart(model: ReportModel, size: ChartSize): Chart | undefined {
  const rows = timeRows(model).filter((r) => r.p50Ms !== null && r.p99Ms !== null);
  if (!hasSeries(rows)) return undefined;
  const y = logAxis(
    'latencyMs',
    'latency (ms, log scale)',
    rows.flatMap((r) => [r.p50Ms!, r.p99Ms!]).map((v) => Math.max(v, 0.001)),
  );
  const percentile = {
    field: 'percentile',
    type: 'nominal',
    title: 'percentile',
    scale: {
      domain: ['p50', 'p99'],
      range: [
        [1, 0],
        [6, 3],
      ],
    },
  };
  const tooltip = [
    { field: 'server' },
    { field: 'panel', title: 'point' },
    { field: 'startS', title: 'second from (s)' },
    { field: 'percentile' },
    { field: 'latencyMs', title: 'latency (ms)', format: ',.3f' },
    { field: 'rps', title: 'requests/s', format: ',.0f' },
  ];
  const inner = {
    transform: [
      { fold: ['p50Ms', 'p99Ms'], as: ['key', 'latencyMs'] },
      { calculate: "datum.key === 'p50Ms' ? 'p50' : 'p99'", as: 'percentile' },
      { calculate: 'max(datum.latencyMs, 0.001)', as: 'latencyMs' },
    ],
    encoding: { color: serverColor(model.servers) },
    layer: stepLayers(timeAxis(rows), y, tooltip, { strokeDash: percentile }),
  };
  const title = 'Latency over time (p50 and p99, each second)';
  const subtitle = 'latency of the requests completed in each second, repeats merged; solid p50, dashed p99';
  return {
    name: 'latency-over-time',
    title,
    spec: wrap(model, size, { text: title, subtitle }, withClosingRows(rows), inner, 'panel'),
  };
}

/** True when some series has two seconds or more: something to draw a line through. */
function hasSeries(rows: TimeRow[]): boolean {
  const samples = new Map<string, number>();
  for (const r of rows) samples.set(`${r.panel}\0${r.server}`, (samples.get(`${r.panel}\0${r.server}`) ?? 0) + 1);
  return [...samples.values()].some((n) => n >= 2);
}

/**
 * A linear y axis from zero whose top is a labelled tick: the scale is made nice to as many ticks
 * as the axis draws (by default Vega rounds the domain to a finer step than its labels).
 */
const LINEAR_Y = { scale: { zero: true, nice: 8 }, axis: { tickCount: 8 } };

/** What limited a point, in legend order, with its marker on point charts and its dash on line charts. */
const BOUNDS = [MEASURED, GENERATOR_BOUND, OVERLOADED];
const BOUND_SHAPES: Record<string, string> = {
  [MEASURED]: 'circle',
  [GENERATOR_BOUND]: 'triangle-up',
  [OVERLOADED]: 'cross',
};
const BOUND_DASHES: Record<string, number[]> = { [MEASURED]: [1, 0], [GENERATOR_BOUND]: [6, 4], [OVERLOADED]: [2, 2] };

/** Words for an overloaded point in a subtitle. */
export const OVERLOADED_WORDS = 'overloaded (the generator could not keep its schedule: latency is its own queue)';

/** The verdicts present among `rows`, server-bound first: a legend's domain (server-bound alone: no legend needed). */
function boundsIn(rows: ReadonlyArray<{ bound: string }>): string[] {
  return BOUNDS.filter((b) => b === MEASURED || rows.some((r) => r.bound === b));
}

/** The subtitle's words for the dashes of `bounds`. */
function dashWords(bounds: string[]): string[] {
  return [
    ...(bounds.includes(GENERATOR_BOUND) ? ['dashed: generator-bound (the load generator was the bottleneck)'] : []),
    ...(bounds.includes(OVERLOADED) ? [`dotted: ${OVERLOADED_WORDS}`] : []),
  ];
}

/** Solid lines for server-bound series, dashed for generator-bound ones, dotted for overloaded ones. */
function boundDash(bounds: string[]): object {
  return {
    field: 'bound',
    type: 'nominal',
    title: 'bottleneck',
    scale: { domain: bounds, range: bounds.map((b) => BOUND_DASHES[b]) },
  };
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
  // Plain numbers read best (1024 connections, not 1.024k); SI prefixes only for large values. Not
  // 'd': Vega-Lite then adds tickMinStep, and Vega thins explicit values to span / step of them.
  const format = max >= 100_000 ? '~s' : '~f';
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
    // Padding (pixels) keeps the end points and their markers off the frame.
    scale: { zero: false, nice: false, domain: [min, max], padding: 24 },
    axis: { values: numbers, format },
  };
}

/** Frames a chart's spec: one panel, or a facet per sweep group (`group`) or per group and sweep value (`panel`). */
function wrap(
  model: ReportModel,
  size: ChartSize,
  title: object,
  values: object[],
  inner: object,
  facetField: 'group' | 'panel',
): TopLevelSpec {
  const panels = facetField === 'panel' ? panelOrder(model) : model.groups.map((g) => g.title);
  return framed(size, title, values, inner, { field: facetField, panels });
}
