/**
 * An interactive flame graph as a Vega spec (Vega, not Vega-Lite: the layout needs Vega's
 * stratify + partition transforms). Laid out like FlameGraph: the root at the bottom, callees
 * stacked above their callers, each frame as wide as its samples. Tooltips give the full name,
 * samples and share; clicking a frame zooms the x axis to it, double-clicking zooms back out.
 * The same spec renders headless (vega View -> SVG) and in the HTML report (vega-embed).
 */
import type { Spec } from 'vega';
import { type FlameData, FRAME_KIND_COLOURS } from '../model/flame-data.js';

/** Height of one frame row, in CSS pixels. */
export const FRAME_HEIGHT_PX = 17;

export interface FlameSpecOptions {
  title: string;
  /** A second title line (samples, frequency, how to zoom). */
  subtitle?: string;
  /** Width of the graph, in CSS pixels. */
  width: number;
  /** What a frame's weight counts, as the tooltip's key (default `samples`; off-CPU: `µs off CPU`). */
  unit?: string;
}

/** Builds the flame graph spec for one point's profile. */
export function flameSpec(data: FlameData, options: FlameSpecOptions): Spec {
  const levels = data.depth + 1;
  const frameY = `height - (datum.y0 + 1) * ${FRAME_HEIGHT_PX}`;
  const left = "max(0, scale('x', datum.x0))";
  const right = "min(width, scale('x', datum.x1))";
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: options.width,
    height: levels * FRAME_HEIGHT_PX,
    padding: 5,
    title: { text: options.title, ...(options.subtitle ? { subtitle: options.subtitle } : {}), anchor: 'start' },
    signals: [
      { name: 'samples', value: data.samples },
      {
        // The part of the partition's [0, 1] x range in view.
        name: 'zoom',
        value: { x0: 0, x1: 1 },
        on: [
          { events: '@frame:click', update: '{x0: datum.x0, x1: datum.x1}' },
          { events: 'dblclick', update: '{x0: 0, x1: 1}' },
        ],
      },
    ],
    data: [
      { name: 'names', values: data.names },
      {
        name: 'frames',
        values: data.rows,
        transform: [
          { type: 'stratify', key: 'id', parentKey: 'p' },
          // One level per row: y0 is the depth. `s` (self samples) sums up to each frame's width.
          // No `sort`: it compares stratify's string ids ("146" < "2"); siblings keep the rows' order.
          { type: 'partition', field: 's', size: [1, levels] },
          { type: 'lookup', from: 'names', key: 'i', fields: ['n'], as: ['f'] },
        ],
      },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: { signal: '[zoom.x0, zoom.x1]' }, range: 'width', zero: false, nice: false },
      {
        name: 'kind',
        type: 'ordinal',
        domain: ['kernel', 'JavaScript', 'native'],
        range: ['kernel', 'JavaScript', 'native'].map((k) => FRAME_KIND_COLOURS[k as keyof typeof FRAME_KIND_COLOURS]),
      },
    ],
    legends: [{ fill: 'kind', orient: 'top', direction: 'horizontal', symbolType: 'square', title: 'frames' }],
    marks: [
      {
        type: 'group',
        clip: true,
        encode: { enter: { width: { signal: 'width' }, height: { signal: 'height' } } },
        marks: [
          {
            type: 'rect',
            name: 'frame',
            from: { data: 'frames' },
            encode: {
              enter: {
                fill: { field: 'f.fill' },
                stroke: { value: 'white' },
                strokeWidth: { value: 0.5 },
                cursor: { value: 'pointer' },
                height: { value: FRAME_HEIGHT_PX - 1 },
                tooltip: {
                  signal: `{title: datum.f.full, ${JSON.stringify(options.unit ?? 'samples')}: format(datum.v, ','), share: format(datum.v / samples, '.2%'), kind: datum.f.kind}`,
                },
              },
              update: {
                x: { scale: 'x', field: 'x0' },
                x2: { scale: 'x', field: 'x1' },
                y: { signal: frameY },
                // A white edge on a sliver would wash out its colour.
                strokeOpacity: { signal: `${right} - ${left} > 3 ? 1 : 0` },
              },
            },
          },
          {
            type: 'text',
            from: { data: 'frames' },
            interactive: false,
            encode: {
              enter: {
                fontSize: { value: 11 },
                baseline: { value: 'middle' },
                fill: { value: '#222' },
                font: { value: 'DejaVu Sans, Verdana, sans-serif' },
              },
              update: {
                // Cut to the frame with an ellipsis; frames too narrow for a few letters (or out of view) get none.
                text: { signal: `${right} - ${left} > 28 ? datum.f.label : ''` },
                x: { signal: `${left} + 3` },
                y: { signal: `${frameY} + ${(FRAME_HEIGHT_PX - 1) / 2}` },
                limit: { signal: `max(1, ${right} - ${left} - 6)` },
              },
            },
          },
        ],
      },
    ],
  };
}
