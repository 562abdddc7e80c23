/**
 * The hockey stick: corrected latency (p50, p99, p99.9) against the load offered, one colour per
 * server, on a log latency axis, with overloaded samples crossed and each server's knee — the
 * capacity a search found, with its interval as a band — marked and labelled.
 */
import { KEPT, type OpenModelData, OVERLOADED_SAMPLE } from '../model/open-model-data.js';
import type { ReportModel } from '../model/sweep-model.js';
import { type Chart, type ChartSize, framed, logAxis, serverColor } from './chart-kit.js';

/** A diagonal cross (Vega's `cross` is an upright plus, easy to take for a data point). */
const X_SHAPE = 'M-1,-1L1,1M-1,1L1,-1';

/** Pixels between the knee labels, stacked above the panel (where no sample can hide them). */
const LABEL_STEP_PX = 16;

/** Where each kind of sample comes from, for the subtitle. */
const SOURCE_WORDS: Record<OpenModelData['sources'][number], string> = {
  'capacity probes': 'capacity-search probes at their rates',
  'staged seconds': 'each second of the staged ramp at the load it offered',
  'rate points': 'each point at its rate',
};

/** The chart; undefined when the results hold no open-model data. */
export function hockeyStickChart(model: ReportModel, size: ChartSize): Chart | undefined {
  const data = model.openModel;
  if (!data) return undefined;
  const samples = data.rows.map((r) => ({ ...r, kind: 'sample', latencyMs: Math.max(r.latencyMs, 0.001) }));
  const knees = data.knees.map((k, i, all) => ({ ...k, kind: 'knee', labelY: -(all.length - i) * LABEL_STEP_PX - 4 }));
  const anyOverloaded = samples.some((r) => r.schedule === OVERLOADED_SAMPLE);
  const maxX = Math.max(...samples.map((r) => r.offeredRps), ...knees.map((k) => k.high));
  const x = {
    field: 'offeredRps',
    type: 'quantitative',
    title: 'offered load (requests/s)',
    scale: { domain: [0, maxX * 1.05], nice: true, zero: true },
    axis: { format: '~s', grid: true, tickCount: 8 },
  };
  const y = logAxis(
    'latencyMs',
    'latency (ms, log scale)',
    samples.map((r) => r.latencyMs),
  );
  // The bands' opacity must not fade the legend's swatches.
  const color = { ...serverColor(model.servers), legend: { symbolOpacity: 1 } };
  const isSample = { filter: "datum.kind === 'sample'" };
  const isKnee = { filter: "datum.kind === 'knee'" };
  const tooltip = [
    { field: 'server' },
    { field: 'percentile' },
    { field: 'offeredRps', title: 'offered (req/s)', format: ',.0f' },
    { field: 'latencyMs', title: 'latency (ms)', format: ',.3f' },
    { field: 'schedule' },
    { field: 'reason', title: 'why overloaded' },
    { field: 'source', title: 'point' },
  ];
  const kneeTooltip = [
    { field: 'label', title: 'capacity' },
    { field: 'low', title: 'interval from (req/s)', format: ',.0f' },
    { field: 'high', title: 'interval to (req/s)', format: ',.0f' },
  ];
  const layer = [
    ...(knees.length > 0
      ? [
          {
            transform: [isKnee, { filter: 'datum.high > datum.low' }],
            mark: { type: 'rect', opacity: 0.14 },
            encoding: { x: { ...x, field: 'low' }, x2: { field: 'high' }, color, tooltip: kneeTooltip },
          },
          {
            transform: [isKnee],
            mark: { type: 'rule', strokeWidth: 2, strokeDash: [8, 4] },
            encoding: { x: { ...x, field: 'rate' }, color, tooltip: kneeTooltip },
          },
          {
            transform: [isKnee],
            mark: { type: 'text', align: 'left', baseline: 'top', dx: -4, fontSize: 12, fontWeight: 'bold' },
            encoding: {
              x: { ...x, field: 'rate' },
              y: { field: 'labelY', type: 'quantitative', scale: null },
              text: { field: 'label' },
              color,
            },
          },
        ]
      : []),
    {
      transform: [isSample],
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x,
        y: { ...y, aggregate: 'median' },
        color,
        strokeDash: {
          field: 'percentile',
          type: 'nominal',
          title: 'percentile',
          scale: {
            domain: ['p50', 'p99', 'p99.9'],
            range: [
              [1, 0],
              [7, 3],
              [2, 2],
            ],
          },
        },
      },
    },
    {
      transform: [isSample, { filter: `datum.schedule === '${KEPT}'` }],
      mark: { type: 'point', filled: true, size: 36, opacity: 1 },
      encoding: { x, y, color, tooltip },
    },
    ...(anyOverloaded
      ? [
          {
            transform: [isSample, { filter: `datum.schedule === '${OVERLOADED_SAMPLE}'` }],
            mark: { type: 'point', filled: false, size: 110, strokeWidth: 2.2, opacity: 1 },
            encoding: {
              x,
              y,
              color,
              shape: {
                field: 'schedule',
                type: 'nominal',
                title: 'schedule',
                scale: { domain: [OVERLOADED_SAMPLE], range: [X_SHAPE] },
              },
              tooltip,
            },
          },
        ]
      : []),
  ];
  const title = 'Latency against offered load (the hockey stick)';
  const subtitle = [
    'corrected latency (from the intended send time); line: median at each load',
    `samples: ${data.sources.map((s) => SOURCE_WORDS[s]).join('; ')}`,
    ...(knees.length > 0
      ? ["dashed rule: each server's capacity at its SLO; shaded: its interval over the rounds"]
      : []),
    ...(anyOverloaded ? ['✕ overloaded: the generator could not keep its schedule (latency is its own queue)'] : []),
  ];
  return {
    name: 'latency-vs-load',
    title,
    spec: framed(
      size,
      { text: title, subtitle },
      [...knees, ...samples],
      { layer },
      {
        field: 'panel',
        panels: data.panels,
      },
    ),
  };
}
