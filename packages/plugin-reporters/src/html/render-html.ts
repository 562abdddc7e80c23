/**
 * The HTML report: one self-contained file with the environment, the plan, a table per sweep, the
 * accounting per request, the charts drawn in the browser by vega-embed (with tooltips), a flame
 * graph per point profiled with perf, and every point. Nothing is fetched when it is opened: the
 * chart libraries and the data are inline.
 */
import type { PointResult, ResultsFile } from '@iobench/core';
import { formatCount, formatLatencyUs } from '@iobench/core';
import { buildCharts, type ChartSize } from '../charts/chart-specs.js';
import { accountingNote, accountingTables } from '../model/accounting-table.js';
import { buildReportModel } from '../model/sweep-model.js';
import {
  DAGGER,
  environmentLine,
  planLine,
  sweepTable,
  type TextTable,
  tableLegend,
  tableNotes,
} from '../model/sweep-table.js';
import { browserBundles } from './browser-bundles.js';
import { esc, jsonForScript } from './escape.js';
import { FLAME_SCRIPT, type FlameSectionPaths, flameSection } from './flame-section.js';
import { REPORT_CSS } from './report-css.js';

/**
 * Renders a results file as a self-contained HTML page. `paths` says where the profiles of
 * `--profile perf` are (the directory holding results.json) and where the page goes (for links);
 * both default to the working directory.
 */
export async function renderHtml(
  results: ResultsFile,
  title: string,
  size: ChartSize,
  paths: Partial<FlameSectionPaths> = {},
): Promise<string> {
  const model = buildReportModel(results);
  const charts = buildCharts(model, size).map((c, i) => ({ id: `chart-${i}`, title: c.title, spec: c.spec }));
  const tables = htmlTable(sweepTable(model));
  const notes = tableNotes(model);
  const accountingSets = accountingTables(model);
  const accounting = accountingSets
    .map((t) =>
      [t.counters, t.strace]
        .filter((x) => x !== undefined)
        .map((x) => `${x.title ? `<h3>${esc(x.title)}</h3>` : ''}${htmlTable(x)}`)
        .join('\n'),
    )
    .join('\n');
  const flames = await flameSection(results, { resultsDir: paths.resultsDir ?? '.', htmlDir: paths.htmlDir ?? '.' });
  const status =
    results.status === 'complete'
      ? ''
      : `<p class="warn">Run status: ${esc(results.status)} — the report holds the points that finished.</p>`;
  const bundles = await browserBundles();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">${esc(results.createdAt)}${results.finishedAt ? ` – ${esc(results.finishedAt)}` : ''} · ${results.points.length} point(s)</p>
${status}
<h2>Environment</h2>
<p>${esc(environmentLine(results))}</p>
<h2>Plan</h2>
<p>${esc(planLine(results))}</p>
<h2>Results</h2>
${tables}
${notes.length ? `<ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<p class="meta">${esc(tableLegend(model))}</p>
${accounting ? `<h2>Accounting per request</h2>\n${accounting}\n<p class="meta">${esc(accountingNote(accountingSets))}</p>` : ''}
<h2>Charts</h2>
${charts.map((c) => `<figure id="${c.id}" class="chart" aria-label="${esc(c.title)}"></figure>`).join('\n')}
${flames.html}
<h2>Every point</h2>
<details><summary>${results.points.length} point(s), every repeat</summary>
${htmlTable(pointsTable(results.points))}
</details>
${bundles.map((b) => `<script>${b}</script>`).join('\n')}
<script type="application/json" id="iobench-charts">${jsonForScript(charts.map(({ id, spec }) => ({ id, spec })))}</script>
<script type="application/json" id="iobench-flames">${jsonForScript(flames.specs)}</script>
<script>
for (const chart of JSON.parse(document.getElementById('iobench-charts').textContent)) {
  vegaEmbed('#' + chart.id, chart.spec, { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } })
    .catch((error) => { document.getElementById(chart.id).textContent = 'chart failed to render: ' + error; });
}
${FLAME_SCRIPT}</script>
</body>
</html>
`;
}

function htmlTable(table: TextTable): string {
  const cell = (tag: string, text: string, i: number) => {
    const classes = [table.numeric[i] ? 'num' : '', table.wrap?.[i] && tag === 'td' ? 'wrap' : ''].filter(Boolean);
    return `<${tag}${classes.length ? ` class="${classes.join(' ')}"` : ''}>${markBound(esc(text))}</${tag}>`;
  };
  const head = `<tr>${table.header.map((h, i) => cell('th', h, i)).join('')}</tr>`;
  const body = table.rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('\n');
  // Each table scrolls sideways in a box of its own when it is wider than the column.
  return `<div class="scroll"><table><thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** The dagger gets a tooltip and a colour, so generator-bound figures stand out. */
function markBound(html: string): string {
  return html.replaceAll(
    DAGGER,
    `<span class="bound" title="generator-bound: the load generator was the bottleneck">${DAGGER}</span>`,
  );
}

/** Every point, every repeat; a note column (why a point failed, why it was generator-bound) only when some point has one. */
function pointsTable(points: PointResult[]): TextTable {
  const note = (p: PointResult) =>
    p.status !== 'ok'
      ? `${p.status}${p.error ? `: ${p.error.message}` : ''}`
      : p.loadStats.generatorBound
        ? `${DAGGER} ${p.loadStats.generatorBoundReason ?? 'generator-bound'}`
        : '';
  const notes = points.some((p) => note(p) !== '');
  const header = [
    'point',
    'req/s',
    'p50',
    'p90',
    'p99',
    'p99.9',
    'max',
    'errors',
    'CPU µs/req',
    'starved',
    ...(notes ? ['note'] : []),
  ];
  const rows = points.map((p) => {
    const l = p.latencyUs;
    const figures =
      p.status !== 'ok'
        ? header.slice(1, 10).map(() => '')
        : [
            formatCount(p.rps),
            formatLatencyUs(l.p50),
            formatLatencyUs(l.p90),
            formatLatencyUs(l.p99),
            formatLatencyUs(l.p99_9),
            formatLatencyUs(l.max),
            formatCount(Object.values(p.errors).reduce((a, b) => a + b, 0)),
            p.serverStats ? formatCount(p.serverStats.cpuUsPerRequest) : '-',
            p.starvation ? `${p.starvation.starved}/${p.starvation.connections}` : '-',
          ];
    return [p.id, ...figures, ...(notes ? [note(p)] : [])];
  });
  return {
    title: '',
    header,
    numeric: header.map((_, i) => i >= 1 && i <= 9),
    // Notes are sentences: they wrap rather than widen the table.
    wrap: header.map((h) => h === 'note'),
    rows,
  };
}
