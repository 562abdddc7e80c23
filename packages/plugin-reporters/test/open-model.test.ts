/**
 * What the reporters show of the open model (issue #17): overloaded points marked everywhere
 * generator-bound ones are, the rate as target → achieved, the send lag; the hockey stick (latency
 * against offered load) from capacity probes, staged seconds and rate sweeps; the capacity table.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { CapacityResult } from '@iobench/core';
import { OVERLOAD_ADVICE } from '@iobench/core';
import { requireTool, testOutputDir } from '@iobench/core/testing';
import { buildCharts } from '../src/charts/chart-specs.js';
import { capacityAnswer, capacityTable } from '../src/model/capacity-table.js';
import { KEPT, OVERLOADED_SAMPLE } from '../src/model/open-model-data.js';
import { buildReportModel } from '../src/model/sweep-model.js';
import {
  buildCapacityResults,
  buildRateSweepResults,
  buildStagedResults,
  GENERATOR_CEILING_RPS,
  STAGES,
  SWEPT_RATES,
} from './support/open-model-fixture.js';
import { buildResults } from './support/results-fixture.js';
import { removeOutDirs, runReporter, tempOutDir } from './support/run-reporter.js';

after(removeOutDirs);

type Spec = Record<string, any>;
const SIZE = { width: 600, height: 340 };

function hockey(results: Parameters<typeof buildReportModel>[0]): Spec | undefined {
  return buildCharts(buildReportModel(results), SIZE).find((c) => c.name === 'latency-vs-load')?.spec as Spec;
}

describe('the hockey stick’s data', () => {
  test('capacity probes: one sample per probe at its rate, the closed-model saturation probe left out', () => {
    const results = buildCapacityResults();
    const model = buildReportModel(results);
    assert.equal(model.groups.length, 0, 'probes stay out of the sweep groups');
    assert.equal(model.capacityProbes, results.points.length);
    const rows = model.openModel!.rows.filter((r) => r.percentile === 'p99');
    const probes = results.points.filter((p) => p.params.rate !== undefined);
    assert.equal(rows.length, probes.length, 'every rated probe once, the saturation probes not');
    assert.deepEqual(
      rows.map((r) => r.offeredRps).sort((a, b) => a - b),
      probes.map((p) => p.params.rate!).sort((a, b) => a - b),
    );
    const overloaded = probes.filter((p) => p.schedule?.overloaded).length;
    assert.ok(overloaded > 0, 'the fixture overloads some probes');
    assert.equal(rows.filter((r) => r.schedule === OVERLOADED_SAMPLE).length, overloaded);
    assert.deepEqual(model.openModel!.sources, ['capacity probes']);
  });

  test('knees come from results.capacity: the median with its interval, none for a search that found nothing', () => {
    const results = buildCapacityResults();
    results.capacity!.push({ ...results.capacity![0]!, server: 'basic', outcome: 'none', rate: undefined });
    const knees = buildReportModel(results).openModel!.knees;
    assert.deepEqual(
      knees.map((k) => [k.server, k.rate, k.low, k.high]),
      results
        .capacity!.filter((c) => c.rate !== undefined)
        .map((c) => [c.server, c.rate, c.low ?? c.rate, c.high ?? c.rate]),
    );
    assert.match(knees[0]!.label, /^epoll: [\d,]+ req\/s at p99<1ms \([\d,]+–[\d,]+\)$/);
    assert.equal(
      knees[2]!.label,
      `node: above ${GENERATOR_CEILING_RPS.toLocaleString('en-US')} req/s (generator-bound)`,
    );
  });

  test('a staged run: a sample per second at the load offered in it; seconds without latency left out', () => {
    const results = buildStagedResults();
    const epoll = results.points.find((p) => p.server === 'epoll')!;
    delete epoll.perSecond![1]!.latencyUs;
    const rows = buildReportModel(results).openModel!.rows.filter(
      (r) => r.server === 'epoll' && r.percentile === 'p99',
    );
    const seconds = epoll.perSecond!.filter((s) => s.latencyUs);
    assert.equal(rows.length, STAGES.reduce((t, s) => t + s.durationMs, 0) / 1000 - 1);
    assert.deepEqual(
      rows.map((r) => r.offeredRps),
      seconds.map((s) => s.offered),
    );
    assert.deepEqual(
      rows.map((r) => r.latencyMs),
      seconds.map((s) => s.latencyUs!.p99 / 1000),
    );
    // The last second offers ~36k to a 30k server: a fifth of its sends were late.
    assert.equal(rows.at(-1)!.schedule, OVERLOADED_SAMPLE);
    assert.match(rows.at(-1)!.reason, /^in second 5: 20% of sends went out over 1ms late$/);
    assert.equal(rows[0]!.schedule, KEPT);
  });

  test('a plain --rate sweep: a sample per point at its rate', () => {
    const rows = buildReportModel(buildRateSweepResults()).openModel!.rows.filter(
      (r) => r.server === 'epoll' && r.percentile === 'p50',
    );
    assert.deepEqual(
      rows.map((r) => r.offeredRps),
      SWEPT_RATES,
    );
  });

  test('closed-model results have no open-model data and no hockey stick', () => {
    assert.equal(buildReportModel(buildResults()).openModel, undefined);
    assert.equal(hockey(buildResults()), undefined);
  });
});

describe('the hockey stick chart', () => {
  test('log latency axis in ms against offered req/s, a line per server and percentile, overloaded crossed, knees ruled', () => {
    const spec = hockey(buildCapacityResults())!;
    const layers: Spec[] = spec.layer;
    const line = layers.find((l) => l.mark.type === 'line')!;
    assert.equal(line.encoding.x.title, 'offered load (requests/s)');
    assert.equal(line.encoding.y.scale.type, 'log');
    assert.match(line.encoding.y.title, /latency \(ms/);
    assert.deepEqual(line.encoding.strokeDash.scale.domain, ['p50', 'p99', 'p99.9']);
    assert.deepEqual(line.encoding.color.scale.domain, ['epoll', 'epoll-pool', 'node']);
    const crossed = layers.find((l) => l.encoding.shape?.field === 'schedule')!;
    assert.equal(crossed.mark.filled, false, 'overloaded samples are drawn hollow, as a cross');
    assert.deepEqual(crossed.encoding.shape.scale.domain, [OVERLOADED_SAMPLE]);
    assert.ok(
      layers.some((l) => l.mark.type === 'rule' && l.encoding.x.field === 'rate'),
      'a rule at each knee',
    );
    assert.ok(
      layers.some((l) => l.mark.type === 'rect' && l.encoding.x2.field === 'high'),
      'a band over each interval',
    );
    assert.ok(
      layers.some((l) => l.mark.type === 'text' && l.encoding.text.field === 'label'),
      'each knee labelled',
    );
    assert.ok(JSON.stringify(spec.title).includes('overloaded'));
  });

  test('without overloaded samples or knees, neither is drawn nor mentioned', () => {
    const results = buildRateSweepResults();
    results.points = results.points.filter((p) => !p.schedule?.overloaded);
    const spec = hockey(results)!;
    assert.ok(!spec.layer.some((l: Spec) => l.encoding.shape || l.mark.type === 'rule'));
    assert.doesNotMatch(JSON.stringify(spec.title), /overloaded|capacity/);
  });
});

describe('overload in the tables', () => {
  test('markdown: ‡ on the p99 of an overloaded point, the advice as a footnote, target → achieved and lag p99', async () => {
    const run = await runReporter('markdown', buildRateSweepResults());
    const md = await readFile(join(run.outDir, 'results.md'), 'utf8');
    assert.match(md, /^\| server \| rate → achieved \| req\/s \| transfer \| p50 \| p75 \| p95 \| p99 \| lag p99 \|/m);
    assert.match(md, /^\| epoll \| 5,000 → 5,000 \| 5,000 \| \S+ \| \S+ \| \S+ \| \S+ \| \d+µs \| 30µs \|/m);
    assert.match(
      md,
      /^\| epoll \| 40,000 → 29,400 \| 29,400 \| \S+ \| \S+ \| \S+ \| \S+ \| [\d.]+ms ‡ \| 20\.02ms \|/m,
    );
    assert.ok(md.includes(`- ‡ ${OVERLOAD_ADVICE}`));
    assert.match(md, /^- epoll\/native\/c64\/rate40000\/r0: overloaded: \d+ send\(s\) never went out/m);
  });

  test('the aggregate counts overloaded repeats as it counts generator-bound ones', () => {
    const model = buildReportModel(buildRateSweepResults());
    const rows = model.groups.flatMap((g) => g.rows);
    assert.deepEqual(
      rows.filter((a) => a.overloadedRepeats > 0).map((a) => `${a.server}@${a.targetRate!.median}`),
      ['epoll-pool@20000', 'epoll@40000', 'epoll-pool@40000'],
    );
  });

  test('a closed-model run keeps its table: no rate → achieved, no lag, no ‡', async () => {
    const md = await readFile(join((await runReporter('markdown', buildResults())).outDir, 'results.md'), 'utf8');
    assert.doesNotMatch(md, /→|lag p99|‡|overloaded/);
  });

  test('csv carries every schedule field, the send lag percentiles, arrivals and seed', async () => {
    const run = await runReporter('csv', buildStagedResults());
    const [header, ...rows] = (await readFile(join(run.outDir, 'results.csv'), 'utf8'))
      .trim()
      .split('\r\n')
      .map((l) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '')));
    const col = (name: string) => {
      const i = header!.indexOf(name);
      assert.ok(i >= 0, `header has ${name}`);
      return rows[0]![i];
    };
    assert.equal(col('arrivals'), 'poisson');
    assert.equal(col('seed'), '7');
    assert.equal(col('stages'), '2s:5000 4s:40000');
    assert.equal(col('targetRate'), '40000');
    assert.equal(col('overloaded'), 'true');
    assert.match(col('overloadReason')!, /never went out/);
    for (const name of ['achievedRate', 'offered', 'lateSends', 'droppedSends'])
      assert.match(col(name)!, /^\d+(\.\d+)?$/, name);
    for (const name of ['sendLagP50Us', 'sendLagP90Us', 'sendLagP99Us', 'sendLagP99_9Us', 'sendLagMaxUs'])
      assert.match(col(name)!, /^\d+$/, name);
    assert.equal(header!.indexOf('capacityPhase'), -1, 'no probe columns without probes');
  });
});

describe('the capacity table', () => {
  const base = buildCapacityResults().capacity![0]!;
  const answer = (c: Partial<CapacityResult>) => capacityAnswer({ ...base, ...c });

  test('says what each outcome means', () => {
    assert.equal(answer({ outcome: 'found', rate: 41_800 }), '41,800 req/s');
    assert.equal(
      answer({ outcome: 'generator-bound', rate: 52_000 }),
      'above 52,000 req/s (generator-bound at 52,000; add generator threads)',
    );
    assert.equal(answer({ outcome: 'none', rate: undefined }), 'below the lowest rate probed');
    assert.equal(answer({ outcome: 'interrupted', rate: undefined }), 'search interrupted');
    assert.equal(
      answer({ outcome: 'interrupted', rate: undefined, bracket: { highestPassRps: 1_460, lowestFailRps: 1_710 } }),
      'between 1,460 and 1,710 req/s (search interrupted)',
    );
    assert.equal(
      answer({ outcome: 'interrupted', rate: undefined, bracket: { lowestFailRps: 3_860 } }),
      'below 3,860 req/s (search interrupted)',
    );
  });

  test('one row per search: server, load, SLO, capacity, interval, rounds, saturation, outcome, probes', () => {
    const table = capacityTable(buildCapacityResults().capacity!)!;
    assert.deepEqual(table.header, [
      'server',
      'load',
      'SLO',
      'capacity',
      'interval',
      'rounds',
      'saturation req/s',
      'outcome',
      'probes',
    ]);
    const [server, load, slo, capacity, interval, rounds, saturation, outcome, probes] = table.rows[0]!;
    assert.deepEqual([server, load, slo, outcome, rounds, probes], ['epoll', 'native', 'p99<1ms', 'found', '3', '15']);
    assert.match(capacity!, /^[\d,]+ req\/s$/);
    assert.match(interval!, /^[\d,]+–[\d,]+$/);
    assert.match(saturation!, /^[\d,]+$/);
    assert.equal(capacityTable([]), undefined);
  });

  test('markdown leads with the capacity table; csv writes capacity.csv; a closed run writes none', async () => {
    const results = buildCapacityResults();
    const md = await readFile(join((await runReporter('markdown', results)).outDir, 'results.md'), 'utf8');
    assert.match(md, /#### Capacity\n\n\| server \| load \| SLO \| capacity \|/);
    assert.match(
      md,
      /^\| node \| native \| p99\\<1ms \| above 30,000 req\/s \(generator-bound at 30,000; add generator threads\) \|/m,
    );
    assert.doesNotMatch(md, /^\| server \| rate → achieved/m, 'no empty results table: every point was a probe');
    const csv = await runReporter('csv', results);
    assert.match(csv.stdout, /csv: wrote .*capacity\.csv\n$/);
    const capacity = await readFile(join(csv.outDir, 'capacity.csv'), 'utf8');
    assert.match(capacity, /^search,server,anchor,load,connections,arrivals,slo,outcome,rate,low,high,rounds,/);
    assert.equal(capacity.trim().split('\r\n').length, 1 + results.capacity!.length);
    const probes = await readFile(join(csv.outDir, 'results.csv'), 'utf8');
    assert.match(probes.split('\r\n')[0]!, /,capacitySearch,capacityPhase,capacityRound,capacityPass,capacityReason/);
    const closed = await runReporter('csv', buildResults());
    assert.equal(closed.stdout.match(/wrote/g)?.length, 1);
  });
});

describe('the reports with a capacity search', () => {
  test('plots writes the hockey stick as SVG and PNG, with its axes, legend and knees', async () => {
    const run = await runReporter('plots', buildCapacityResults());
    const svg = await readFile(join(run.outDir, 'plots', 'latency-vs-load.svg'), 'utf8');
    for (const label of ['offered load (requests/s)', 'latency (ms, log scale)', 'epoll', 'p99.9', 'overloaded'])
      assert.ok(svg.includes(`>${label}</text>`), `latency-vs-load.svg shows "${label}"`);
    assert.match(svg, />epoll: [\d,]+ req\/s at p99&lt;1ms/);
    await readFile(join(run.outDir, 'plots', 'latency-vs-load.png'));
  });

  test('html: the capacity section, the chart, every probe with its overload reason', async () => {
    const run = await runReporter('html', buildCapacityResults());
    const html = await readFile(join(run.outDir, 'report.html'), 'utf8');
    const body = html.replace(/<script\b[\s\S]*?<\/script>/g, '');
    assert.deepEqual(
      [...body.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]),
      ['Environment', 'Plan', 'Capacity', 'Results', 'Charts', 'Every point'],
    );
    assert.ok(html.includes('Latency against offered load'));
    assert.match(body, /<th class="num">rate → achieved<\/th><th class="num">lag p99<\/th>/);
    assert.match(body, /‡<\/span> overloaded: [^<]*late[^<]*; search probe: fail \(overloaded: /);
    assert.match(body, /repeat probe \(round 1\): pass/);
  });

  test('html in headless Chromium: the hockey stick drawn, a screenshot left for a human', {
    skip: requireTool('chromium'),
  }, async (t) => {
    const outDir = await tempOutDir();
    await runReporter('html', buildCapacityResults(), {}, { outDir });
    const file = join(await testOutputDir(), 'html-capacity-report.png');
    const page = pathToFileURL(join(outDir, 'report.html')).href;
    const chromium = (args: string[]) =>
      promisify(execFile)(
        'chromium',
        ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=15000', ...args, page],
        { timeout: 120_000, maxBuffer: 64 * 2 ** 20 },
      );
    const { stdout: dom } = await chromium(['--window-size=1400,2400', '--dump-dom']);
    const figure = dom.match(/<figure id="chart-0"[^>]*>([\s\S]*?)<\/figure>/)![1]!;
    assert.match(figure, /<svg\b/, 'drawn');
    assert.ok(figure.includes('offered load (requests/s)'));
    await chromium(['--window-size=1400,2400', `--screenshot=${file}`]);
    assert.equal((await readFile(file)).readUInt32BE(16), 1400, 'a PNG as wide as the window');
    t.diagnostic(`screenshot: ${file}`);
  });
});
