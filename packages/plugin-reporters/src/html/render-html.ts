/**
 * The HTML report: one self-contained file with the environment, the plan, the capacity each
 * search found, a table per sweep, the
 * accounting per request, the charts drawn in the browser by vega-embed (with tooltips), a flame
 * graph per point profiled with perf, and every point. Nothing is fetched when it is opened: the
 * chart libraries and the data are inline.
 */

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PointResult, ResultsFile } from '@iobench/core';
import {
  describeResponses,
  formatCount,
  formatLatencyUs,
  hasFigures,
  non2xxWarning,
  OVERLOAD_ADVICE,
} from '@iobench/core';
import { buildCharts, type ChartSize } from '../charts/chart-specs.js';
import { accountingNote, accountingTables } from '../model/accounting-table.js';
import { CAPACITY_LEGEND, capacityTable } from '../model/capacity-table.js';
import { buildReportModel } from '../model/sweep-model.js';
import {
  DAGGER,
  DOUBLE_DAGGER,
  environmentLine,
  planLine,
  sweepTable,
  type TextTable,
  tableLegend,
  tableNotes,
} from '../model/sweep-table.js';
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
  const sweep = sweepTable(model, { p50: false });
  const tables = sweep.rows.length > 0 ? htmlTable(sweep) : '';
  const capacity = capacityTable(model.capacity);
  const notes = tableNotes(model);
  const accountingSets = accountingTables(model);
  const accounting = accountingSets
    .map((t) =>
      [t.counters, t.breakdown, t.strace]
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
${capacity ? `<h2>Capacity</h2>\n${htmlTable(capacity)}\n<p class="meta">${esc(CAPACITY_LEGEND)}</p>` : ''}
<h2>Results</h2>
${tables}
${notes.length ? `<ul class="notes">${notes.map((n) => `<li>${markBound(esc(n))}</li>`).join('')}</ul>` : ''}
${tables ? `<p class="meta">${esc(tableLegend(model))}</p>` : ''}
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

/** The daggers get a tooltip and a colour, so generator-bound and overloaded figures stand out. */
function markBound(html: string): string {
  return html
    .replaceAll(
      DAGGER,
      `<span class="bound" title="generator-bound: the load generator was the bottleneck">${DAGGER}</span>`,
    )
    .replaceAll(DOUBLE_DAGGER, `<span class="bound" title="${esc(OVERLOAD_ADVICE)}">${DOUBLE_DAGGER}</span>`);
}

/**
 * Every point, every repeat; under the open model the rate as target → achieved and the send lag;
 * a note column (why a point failed, was generator-bound or overloaded; what a capacity probe
 * found) only when some point has one.
 */
function pointsTable(points: PointResult[]): TextTable {
  const open = points.some((p) => p.schedule);
  const notes = points.some((p) => pointNote(p) !== '');
  const header = [
    'point',
    ...(open ? ['rate → achieved', 'lag p99'] : []),
    'req/s',
    'p50',
    'p95',
    'p99',
    'p99.9',
    'max',
    'errors',
    'CPU µs/req',
    'starved',
    ...(notes ? ['note'] : []),
  ];
  const figureCount = header.length - 1 - (notes ? 1 : 0);
  const rows = points.map((p) => {
    const l = p.latencyUs;
    const schedule = p.schedule;
    const figures = !hasFigures(p)
      ? Array.from({ length: figureCount }, () => '')
      : [
          ...(open
            ? [
                schedule ? `${formatCount(schedule.targetRate)} → ${formatCount(schedule.achievedRate)}` : '-',
                schedule?.sendLagUs ? formatLatencyUs(schedule.sendLagUs.p99) : '-',
              ]
            : []),
          formatCount(p.rps),
          formatLatencyUs(l.p50),
          formatLatencyUs(l.p95),
          formatLatencyUs(l.p99),
          formatLatencyUs(l.p99_9),
          formatLatencyUs(l.max),
          formatCount(Object.values(p.errors).reduce((a, b) => a + b, 0)),
          p.serverStats ? formatCount(p.serverStats.cpuUsPerRequest) : '-',
          p.starvation ? `${p.starvation.starved}/${p.starvation.connections}` : '-',
        ];
    return [p.id, ...figures, ...(notes ? [pointNote(p)] : [])];
  });
  return {
    title: '',
    header,
    numeric: header.map((h, i) => i >= 1 && h !== 'note'),
    // Notes are sentences: they wrap rather than widen the table.
    wrap: header.map((h) => h === 'note'),
    rows,
  };
}

/** Why a point failed, was generator-bound (†) or overloaded (‡, with the reason); what a capacity probe found. */
function pointNote(p: PointResult): string {
  if (!hasFigures(p)) return `${p.status}${p.error ? `: ${p.error.message}` : ''}`;
  const warning = non2xxWarning(p);
  const responses = describeResponses(p);
  const notes = [
    ...(p.partial ? [p.error?.message ?? 'partial'] : []),
    ...(warning ? [warning] : responses ? [responses] : []),
    ...(p.loadStats.generatorBound ? [`${DAGGER} ${p.loadStats.generatorBoundReason ?? 'generator-bound'}`] : []),
    ...(p.schedule?.overloaded
      ? [`${DOUBLE_DAGGER} overloaded: ${p.schedule.overloadReason ?? 'the schedule was not kept'}`]
      : []),
  ];
  const probe = p.capacityProbe;
  if (probe) {
    const round = probe.round !== undefined ? ` (round ${probe.round + 1})` : '';
    const verdict =
      probe.phase === 'saturation' ? '' : probe.pass ? ': pass' : `: fail${probe.reason ? ` (${probe.reason})` : ''}`;
    notes.push(`${probe.phase} probe${round}${verdict}`);
  }
  return notes.join('; ');
}

// The browser builds of vega, vega-lite and vega-embed, read from node_modules so that the report
// carries them inline and opens without network access.
const require = createRequire(import.meta.url);

/** The packages' `exports` hide their build folders, so each is found beside a file they do export. */
const BUNDLES = [
  { name: 'vega', anchor: 'vega/vega-schema.json', file: 'vega.min.js' },
  { name: 'vega-lite', anchor: 'vega-lite/vega-lite-schema.json', file: 'vega-lite.min.js' },
  { name: 'vega-embed', anchor: 'vega-embed', file: 'vega-embed.min.js' },
];

let cached: Promise<string[]> | undefined;

/** The three UMD bundles' source, in load order (vega, vega-lite, vega-embed). Read once. */
function browserBundles(): Promise<string[]> {
  cached ??= Promise.all(
    BUNDLES.map(async (b) => {
      const path = join(dirname(require.resolve(b.anchor)), b.file);
      const source = await readFile(path, 'utf8');
      return `/* ${b.name} (inlined from ${b.name}/${b.file}) */\n${escapeScript(source)}`;
    }),
  );
  return cached;
}

/** Inline script text must not contain `</script` or `<!--`, which would end or confuse the element. */
function escapeScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
