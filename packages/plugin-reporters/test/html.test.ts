import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createContext, Script } from 'node:vm';
import { buildResults, GENERATOR_BOUND_ID, SERVERS } from './support/results-fixture.js';
import { removeOutDirs, runReporter } from './support/run-reporter.js';

after(removeOutDirs);

test('html writes one self-contained report.html with nothing fetched from the network', async () => {
  const run = await runReporter('html', buildResults());
  const file = join(run.outDir, 'report.html');
  assert.equal(run.stdout, `html: wrote ${file}\n`);
  assert.deepEqual(await readdir(run.outDir), ['report.html'], 'one file, nothing beside it');
  const html = await readFile(file, 'utf8');
  assert.equal(html.match(/<script\b[^>]*\bsrc\s*=/gi), null, 'no script loaded from elsewhere');
  assert.equal(
    html.match(/<(link|img|iframe)\b[^>]*\b(href|src)\s*=\s*["']?https?:/gi),
    null,
    'no external stylesheet, image or frame',
  );
  assert.equal(html.match(/@import|url\(\s*["']?https?:/gi), null, 'no external CSS resources');
  for (const lib of ['vega', 'vega-lite', 'vega-embed'])
    assert.ok(html.includes(`/* ${lib} (inlined from`), `${lib} is inlined`);
  assert.ok(html.includes('vegaEmbed('));
  // Every script element is closed once: the inlined bundles did not end their element early.
  assert.equal((html.match(/<script\b/g) ?? []).length, (html.match(/<\/script>/g) ?? []).length);
});

test('html holds the environment, the plan, the tables, every point and the chart data', async () => {
  const results = buildResults();
  const html = await readFile(join((await runReporter('html', results)).outDir, 'report.html'), 'utf8');
  assert.ok(html.includes('Test CPU @ 2.0GHz × 2'), 'environment');
  assert.ok(html.includes('servers basic, epoll, epoll-pool · load undici · connections 8, 64, 512'), 'plan');
  assert.match(
    html,
    /<td>epoll-pool<\/td><td class="num">64<\/td><td class="num">15,000<\/td><td class="num">14,250–16,500!<\/td>/,
    'the sweep table, median and range, marked: 15% of the median is wider than 10%',
  );
  assert.match(
    html,
    /<li>! epoll-pool\/undici\/c64: the 3 repeats&#39; req\/s spread 14,250–16,500, 15% of the median \(more than 10%\)/,
  );
  assert.match(
    html,
    /<td class="num">24,000 <span class="bound" title="generator-bound[^"]*">†<\/span><\/td>/,
    'generator-bound marked in the table',
  );
  assert.ok(html.includes(`<td>${GENERATOR_BOUND_ID}</td>`), 'every point listed');
  const charts = JSON.parse(
    html.match(/<script type="application\/json" id="iobench-charts">([\s\S]*?)<\/script>/)![1]!,
  ) as Array<{ id: string; spec: { data: { values: Array<{ server: string; bound?: string }> } } }>;
  assert.equal(charts.length, 5);
  for (const chart of charts) {
    assert.ok(html.includes(`<figure id="${chart.id}"`));
    assert.deepEqual([...new Set(chart.spec.data.values.map((v) => v.server))].sort(), [...SERVERS].sort());
  }
  assert.ok(
    charts[0]!.spec.data.values.some((v) => v.bound === 'generator-bound'),
    'generator-bound marked in the chart data',
  );
  assert.match(JSON.stringify(charts[0]!.spec), /"tooltip":\[/, 'tooltips');
});

test('html escapes text from results', async () => {
  const results = buildResults();
  results.points[0]!.error = { code: 'X', message: '<script>alert(1)</script>' };
  results.points[0]!.status = 'failed';
  const html = await readFile(join((await runReporter('html', results)).outDir, 'report.html'), 'utf8');
  assert.ok(!html.includes('<script>alert(1)'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('the inlined bundles load without a network and draw every chart of the report', async () => {
  const html = await readFile(join((await runReporter('html', buildResults())).outDir, 'report.html'), 'utf8');
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  // A browser-like global with what the bundles use at load and render time, and no fetch.
  const sandbox: Record<string, unknown> = {
    structuredClone,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    console,
    TextEncoder,
    URL,
  };
  sandbox.self = sandbox;
  sandbox.globalThis = sandbox;
  const context = createContext(sandbox);
  // The three library bundles come first; the last script needs a DOM and is left out.
  for (const source of scripts.slice(0, 3)) new Script(source).runInContext(context);
  assert.equal(typeof sandbox.vegaEmbed, 'function');
  const charts = JSON.parse(
    html.match(/<script type="application\/json" id="iobench-charts">([\s\S]*?)<\/script>/)![1]!,
  ) as Array<{ spec: unknown }>;
  const draw = new Script(
    'Promise.all(specs.map((s) => new vega.View(vega.parse(vegaLite.compile(s).spec), { renderer: "none" }).toSVG()))',
  );
  context.specs = charts.map((c) => c.spec);
  const svgs = (await draw.runInContext(context)) as string[];
  for (const svg of svgs) assert.match(svg, /^<svg /);
});
