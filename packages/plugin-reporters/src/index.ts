/**
 * @iobench/plugin-reporters: reports rendered from a results file — CSV, a Markdown table for pull
 * requests, a self-contained HTML report with interactive charts, SVG/PNG plots, and HdrHistogram
 * logs. Every reporter writes its files when the run ends (`onRunEnd`), so `iobench report FILE
 * --reporter html` re-renders a saved run, and prints one line naming what it wrote (nothing with
 * `--json`).
 */
import { dirname, join } from 'node:path';
import { defineReporterPlugin } from '@iobench/core';
import { z } from 'zod';
import { renderCapacityCsv, renderCsv } from './csv.js';
import { hlogFileName, renderHlog } from './hlog.js';
import { renderHtml } from './html/render-html.js';
import { renderMarkdown } from './markdown.js';
import { announce, isInsideOutDir, outPath, writeReportFile } from './output.js';
import { writePlots } from './plots.js';

// Reports stay in the output directory: a config file must not be able to point them at ~/.bashrc.
const fileName = (what: string, example: string) =>
  z
    .string()
    .min(1)
    .refine(isInsideOutDir, `expected a relative path inside the output directory, such as ${example}`)
    .describe(`${what}, relative to the run's output directory (and inside it)`);
const chartWidth = z.number().int().min(200).max(4000).default(600).describe('Width of a single chart, in CSS pixels');
const chartHeight = z
  .number()
  .int()
  .min(150)
  .max(3000)
  .default(340)
  .describe('Height of a single chart, in CSS pixels');

/** Options of the `csv` reporter. */
export const csvOptions = z.strictObject({
  file: fileName('CSV file', 'results.csv').default('results.csv'),
  capacityFile: fileName('CSV file of what each capacity search found (--find-capacity)', 'capacity.csv').default(
    'capacity.csv',
  ),
});

/** Options of the `markdown` reporter. */
export const markdownOptions = z.strictObject({
  file: fileName('Markdown file', 'results.md').default('results.md'),
  title: z.string().min(1).default('iobench results').describe('Heading of the report'),
});

/** Options of the `html` reporter. */
export const htmlOptions = z.strictObject({
  file: fileName('HTML file', 'report.html').default('report.html'),
  title: z.string().min(1).default('iobench report').describe('Page title and heading'),
  width: chartWidth,
  height: chartHeight,
});

/** Options of the `plots` reporter. */
export const plotsOptions = z.strictObject({
  dir: fileName('Directory for the chart files', 'plots').default('plots'),
  formats: z
    .array(z.enum(['svg', 'png']))
    .min(1)
    .default(['svg', 'png'])
    .describe('File formats to write (command line: plots.formats=\'["svg"]\')'),
  scale: z.number().min(0.5).max(8).default(2).describe('PNG pixels per SVG pixel (2 = sharp on high-DPI screens)'),
  width: chartWidth,
  height: chartHeight,
});

/** Options of the `hlog` reporter. */
export const hlogOptions = z.strictObject({ dir: fileName('Directory for the .hlog files', 'hlog').default('hlog') });

export type CsvOptions = z.output<typeof csvOptions>;
export type MarkdownOptions = z.output<typeof markdownOptions>;
export type HtmlOptions = z.output<typeof htmlOptions>;
export type PlotsOptions = z.output<typeof plotsOptions>;
export type HlogOptions = z.output<typeof hlogOptions>;

/** `csv`: every point, every repeat, one row each; and what each capacity search found, one row each. */
export const csvReporter = defineReporterPlugin<CsvOptions>({
  name: 'csv',
  description:
    'Writes results.csv: one row per point (params, req/s, latency percentiles, errors, CPU and syscalls per request, flags, the open-model schedule); with --find-capacity, capacity.csv: one row per search',
  options: csvOptions,
  create: (ctx, options) => ({
    async onRunEnd(results) {
      announce(ctx, 'csv', await writeReportFile(outPath(ctx, options.file), renderCsv(results)));
      const capacity = renderCapacityCsv(results);
      if (capacity) announce(ctx, 'csv', await writeReportFile(outPath(ctx, options.capacityFile), capacity));
    },
  }),
});

/** `markdown`: a table per sweep for a pull-request comment. */
export const markdownReporter = defineReporterPlugin<MarkdownOptions>({
  name: 'markdown',
  description:
    'Writes results.md: the capacity each search found, a table per sweep (median and range of repeats, generator-bound and overloaded marked, target → achieved rate) and accounting per request, for a PR comment',
  options: markdownOptions,
  create: (ctx, options) => ({
    async onRunEnd(results) {
      announce(
        ctx,
        'markdown',
        await writeReportFile(outPath(ctx, options.file), renderMarkdown(results, options.title)),
      );
    },
  }),
});

/** `html`: one self-contained page with tables and interactive charts. */
export const htmlReporter = defineReporterPlugin<HtmlOptions>({
  name: 'html',
  description:
    'Writes report.html: environment, plan, capacity, tables, accounting per request, interactive charts (latency against offered load among them) and flame graphs in one self-contained file',
  options: htmlOptions,
  create: (ctx, options) => ({
    async onRunEnd(results) {
      const file = outPath(ctx, options.file);
      // Profile paths in results are relative to the directory holding results.json: the run's output directory.
      const html = await renderHtml(
        results,
        options.title,
        { width: options.width, height: options.height },
        { resultsDir: ctx.resultsDir, htmlDir: dirname(file) },
      );
      announce(ctx, 'html', await writeReportFile(file, html));
    },
  }),
});

/** `plots`: SVG and PNG charts. */
export const plotsReporter = defineReporterPlugin<PlotsOptions>({
  name: 'plots',
  description:
    'Writes SVG and PNG charts to plots/: latency against offered load (open model), req/s and CPU µs/req against the sweep, latency spectrum, req/s over time',
  options: plotsOptions,
  create: (ctx, options) => ({
    async onRunEnd(results) {
      const dir = outPath(ctx, options.dir);
      const files = await writePlots(results, dir, {
        formats: options.formats,
        pngScale: options.scale,
        size: { width: options.width, height: options.height },
      });
      announce(ctx, 'plots', `${files.length} file(s) to ${dir}`);
    },
  }),
});

/** `hlog`: HdrHistogram interval logs, one per point. */
export const hlogReporter = defineReporterPlugin<HlogOptions>({
  name: 'hlog',
  description: "Writes hlog/<point>.hlog: each point's latency histogram in HdrHistogram's log format",
  options: hlogOptions,
  create: (ctx, options) => ({
    async onRunEnd(results) {
      const dir = outPath(ctx, options.dir);
      let count = 0;
      for (const point of results.points) {
        const text = renderHlog(point);
        if (text === undefined) continue;
        await writeReportFile(join(dir, hlogFileName(point.id)), text);
        count++;
      }
      announce(ctx, 'hlog', `${count} file(s) to ${dir}`);
    },
  }),
});

export { renderCapacityCsv, renderCsv } from './csv.js';
export { hlogFileName, renderHlog } from './hlog.js';
export { renderHtml } from './html/render-html.js';
export { renderMarkdown } from './markdown.js';
export { buildReportModel, type ReportModel } from './model/sweep-model.js';
export { writePlots } from './plots.js';

export default [csvReporter, markdownReporter, htmlReporter, plotsReporter, hlogReporter];
