import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildResults, SERVERS } from './support/results-fixture.js';
import { removeOutDirs, runReporter } from './support/run-reporter.js';

after(removeOutDirs);

const CHARTS = ['throughput', 'latency-spectrum', 'cpu-per-request', 'throughput-over-time', 'latency-over-time'];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test('plots writes an SVG and a PNG per chart, with every server named', async () => {
  const run = await runReporter('plots', buildResults());
  const dir = join(run.outDir, 'plots');
  assert.equal(run.stdout, `plots: wrote ${CHARTS.length * 2} file(s) to ${dir}\n`);
  assert.deepEqual((await readdir(dir)).sort(), CHARTS.flatMap((c) => [`${c}.png`, `${c}.svg`]).sort());
  for (const chart of CHARTS) {
    const svg = await readFile(join(dir, `${chart}.svg`), 'utf8');
    assert.match(svg, /^<svg [^>]*width="\d+" height="\d+"/);
    for (const server of SERVERS)
      assert.ok(svg.includes(`>${server}</text>`), `${chart}.svg names ${server} in its legend`);
    const png = await readFile(join(dir, `${chart}.png`));
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, `${chart}.png is a PNG`);
    const { width, height } = pngSize(png);
    assert.ok(width >= 1000 && width <= 4000, `${chart}.png width ${width}`);
    assert.ok(height >= 500 && height <= 3000, `${chart}.png height ${height}`);
  }
});

test('the throughput chart has a log2 connections axis and marks generator-bound points', async () => {
  const run = await runReporter('plots', buildResults(), { formats: ['svg'] });
  const svg = await readFile(join(run.outDir, 'plots', 'throughput.svg'), 'utf8');
  for (const label of ['connections', 'requests/s', '8', '64', '512', 'generator-bound'])
    assert.ok(svg.includes(`>${label}</text>`), `throughput.svg shows "${label}"`);
  assert.ok(!svg.includes('>16</text>'), 'axis ticks are the swept values only');
});

test('with nothing swept, plots draws bars per server', async () => {
  const results = buildResults();
  results.points = results.points.filter((p) => p.params.connections === 64);
  results.plan.connections = [64];
  results.plan.sweep = [];
  const run = await runReporter('plots', results, { formats: ['svg'] });
  const svg = await readFile(join(run.outDir, 'plots', 'throughput.svg'), 'utf8');
  assert.ok(svg.includes('Throughput (requests/s) by server'));
  assert.equal((svg.match(/role-mark[^"]*bar|aria-roledescription="bar"/g) ?? []).length > 0, true, 'bar marks');
});

test('with no generator-bound point, no chart has a bottleneck legend or mentions it', async () => {
  const results = buildResults();
  for (const p of results.points) p.loadStats.generatorBound = false;
  const run = await runReporter('plots', results, { formats: ['svg'] });
  for (const chart of CHARTS) {
    const svg = await readFile(join(run.outDir, 'plots', `${chart}.svg`), 'utf8');
    assert.doesNotMatch(svg, />bottleneck<|generator-bound/, `${chart}.svg`);
  }
});

test('the over-time charts run from second 0 to the end of the phase, every second labelled', async () => {
  const run = await runReporter('plots', buildResults(), { formats: ['svg'] });
  for (const chart of ['throughput-over-time', 'latency-over-time']) {
    const svg = await readFile(join(run.outDir, 'plots', `${chart}.svg`), 'utf8');
    const xLabels = [...svg.matchAll(/translate\((\d+(?:\.\d+)?),16\)"[^>]*>(\d+)<\/text>/g)].map((m) => [
      Number(m[1]),
      m[2],
    ]);
    // Three panels, each labelled 0, 1, 2, 3 from its left edge (x = 0) to its right edge.
    assert.deepEqual(
      xLabels.map(([, label]) => label),
      ['0', '1', '2', '3', '0', '1', '2', '3', '0', '1', '2', '3'],
      chart,
    );
    assert.equal(xLabels[0]![0], 0, `${chart}: second 0 at the left edge`);
  }
});
