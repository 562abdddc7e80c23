/**
 * Writes the report's charts as SVG and PNG files, one of each per chart, rendered without a
 * browser: Vega-Lite compiles to Vega, Vega's headless View draws SVG, and resvg rasterises the SVG
 * to PNG with the machine's fonts.
 */
import { join } from 'node:path';
import type { ResultsFile } from '@iobench/core';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { buildCharts, type ChartSize } from './charts/chart-specs.js';
import { buildReportModel } from './model/sweep-model.js';
import { writeReportFile } from './output.js';

/** What to draw and how. */
export interface PlotSettings {
  formats: Array<'svg' | 'png'>;
  /** Pixels per SVG unit in the PNGs. */
  pngScale: number;
  size: ChartSize;
}

/** Renders every chart the results support into `dir`; returns the files written. */
export async function writePlots(results: ResultsFile, dir: string, settings: PlotSettings): Promise<string[]> {
  const charts = buildCharts(buildReportModel(results), settings.size);
  const written: string[] = [];
  for (const chart of charts) {
    const svg = await renderSvg(chart.spec);
    if (settings.formats.includes('svg')) written.push(await writeReportFile(join(dir, `${chart.name}.svg`), svg));
    if (settings.formats.includes('png'))
      written.push(await writeReportFile(join(dir, `${chart.name}.png`), svgToPng(svg, settings.pngScale)));
  }
  return written;
}

/** Draws a Vega-Lite spec as an SVG document. */
async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Rasterises an SVG to PNG at `scale` times its size. System fonts are loaded so that labels
 * render; DejaVu Sans (the charts' font) stands in for generic families when it is installed.
 */
function svgToPng(svg: string, scale: number): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
