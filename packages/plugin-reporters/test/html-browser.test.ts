/**
 * The HTML report in a real browser: headless Chromium opens it with the network cut off, runs its
 * scripts, and the test reads back the DOM (every section there, every chart drawn), the console
 * (silent), the layout at 1280 px (the page never scrolls sideways; tables fit or scroll in a box
 * of their own), and leaves a screenshot in the test output directory for a human to look at.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { requireTool, testOutputDir } from '@iobench/core/testing';
import { addProfiles } from './support/profile-fixture.js';
import { buildResults } from './support/results-fixture.js';
import { removeOutDirs, runReporter, tempOutDir } from './support/run-reporter.js';

const run = promisify(execFile);
const WIDTH = 1280;

after(removeOutDirs);

/** Runs headless Chromium on a page with no network at all; returns stdout and the console lines it logged. */
async function chromium(url: string, args: string[]): Promise<{ stdout: string; console: string[] }> {
  const profile = await mkdtemp(join(tmpdir(), 'iobench-chromium-'));
  try {
    const { stdout, stderr } = await run(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        // Any request off this machine fails, and shows up as a console error.
        '--host-resolver-rules=MAP * ~NOTFOUND',
        '--allow-file-access-from-files',
        '--enable-logging=stderr',
        '--v=0',
        // Scripts (vega-embed draws asynchronously) run to completion in virtual time.
        '--virtual-time-budget=15000',
        ...args,
        url,
      ],
      { timeout: 120_000, maxBuffer: 64 * 2 ** 20 },
    );
    return { stdout, console: stderr.split('\n').filter((l) => l.includes(':CONSOLE')) };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** A page that frames the report at WIDTH px and writes what it measured into its own DOM. */
const PROBE = `<!doctype html><html><body style="margin:0">
<iframe id="report" src="report.html" style="width:${WIDTH}px;height:1000px;border:0"></iframe>
<pre id="probe"></pre>
<script>
document.getElementById('report').addEventListener('load', () => setTimeout(() => {
  const doc = document.getElementById('report').contentDocument;
  const root = doc.documentElement;
  document.getElementById('probe').textContent = JSON.stringify({
    pageOverflowPx: root.scrollWidth - root.clientWidth,
    tables: doc.querySelectorAll('table').length,
    tablesOutsideScrollBoxes: [...doc.querySelectorAll('table')].filter((t) => !t.parentElement.classList.contains('scroll')).length,
    scrollingBoxes: [...doc.querySelectorAll('.scroll')].filter((b) => b.scrollWidth > b.clientWidth).length,
  });
}, 5000));
</script></body></html>`;

describe('the HTML report in headless Chromium', { skip: requireTool('chromium') }, () => {
  let outDir: string;

  before(async () => {
    outDir = await tempOutDir();
    await runReporter('html', await addProfiles(buildResults(), outDir), {}, { outDir });
    await writeFile(join(outDir, 'probe.html'), PROBE);
  });

  test('draws every section and chart, with nothing on the console and nothing fetched', async () => {
    const page = pathToFileURL(join(outDir, 'report.html')).href;
    const { stdout: dom, console } = await chromium(page, [`--window-size=${WIDTH},2000`, '--dump-dom']);
    assert.deepEqual(console, [], 'no console output: no script error, no failed request');
    const body = dom.replace(/<script\b[\s\S]*?<\/script>/g, '');
    const headings = [...body.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(headings, [
      'Environment',
      'Plan',
      'Results',
      'Accounting per request',
      'Charts',
      'Flame graphs',
      'Every point',
    ]);
    const charts = [...body.matchAll(/<figure id="chart-\d+"[^>]*>([\s\S]*?)<\/figure>/g)].map((m) => m[1]!);
    assert.equal(charts.length, 5, 'throughput, spectrum, CPU, throughput and latency over time');
    for (const chart of charts) assert.match(chart, /<svg\b/, 'drawn');
    assert.doesNotMatch(body, /failed to render/);
  });

  test(`fits a ${WIDTH} px window: tables fit or scroll in their own box`, async () => {
    const probe = pathToFileURL(join(outDir, 'probe.html')).href;
    const { stdout } = await chromium(probe, [`--window-size=${WIDTH},1000`, '--dump-dom']);
    const measured = JSON.parse(stdout.match(/<pre id="probe">([^<]*)<\/pre>/)![1]!);
    // Results, accounting counters, server and generator side by side, strace; every point.
    assert.deepEqual(measured, { pageOverflowPx: 0, tables: 5, tablesOutsideScrollBoxes: 0, scrollingBoxes: 0 });
  });

  test('leaves a screenshot in the test output directory', async (t) => {
    const file = join(await testOutputDir(), `html-report-${WIDTH}.png`);
    await chromium(pathToFileURL(join(outDir, 'report.html')).href, [
      `--window-size=${WIDTH},6000`,
      `--screenshot=${file}`,
    ]);
    const png = await readFile(file);
    assert.equal(png.readUInt32BE(16), WIDTH, 'a PNG as wide as the window');
    t.diagnostic(`screenshot: ${file}`);
  });
});
