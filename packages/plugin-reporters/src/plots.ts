/** Writes the report's charts as SVG and PNG files, one of each per chart. */
import { join } from 'node:path';
import type { ResultsFile } from '@iobench/core';
import { buildCharts, type ChartSize } from './charts/chart-specs.js';
import { renderSvg, svgToPng } from './charts/render.js';
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
