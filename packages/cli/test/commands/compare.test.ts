// test-lane: unit (compares results files; nothing is run).
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { PointResult, ResultsFile } from '@iobench/core';
import { makeCapacityResults, makePoint, makeResults, makeServerStats } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

/** One repeat of a point: 98 requests at 200 µs and 2 at `p99Us`. */
function point(connections: number, repeat: number, rps: number, p99Us = 2000, load = 'undici'): PointResult {
  return makePoint({
    load,
    repeat,
    rps,
    params: { connections },
    latencyUs: [
      [200, 98],
      [p99Us, 2],
    ],
    serverStats: makeServerStats({
      cpuUs: 1000,
      userCpuUs: 600,
      systemCpuUs: 400,
      cpuUsPerRequest: 10,
      accepted: connections,
      requests: 100,
    }),
  });
}

/** A results file of epoll under `load`, with three repeats per connection count at the given req/s. */
async function resultsFile(
  dir: string,
  name: string,
  byConnections: Record<number, number[]>,
  options: { p99Us?: number; load?: string } = {},
): Promise<string> {
  const points = Object.entries(byConnections).flatMap(([c, rps]) =>
    rps.map((r, i) => point(Number(c), i, r, options.p99Us, options.load)),
  );
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(makeResults(points)));
  return path;
}

describe('iobench compare', () => {
  test('prints each matching point’s change with the repeats’ spread, and JSON with --json', async () => {
    const dir = await tempDir();
    const a = await resultsFile(dir, 'a.json', { 8: [1000, 950, 1050], 64: [2000, 1900, 2100] });
    const b = await resultsFile(dir, 'b.json', { 8: [1020, 990, 1040], 64: [3000, 2950, 3100] });
    const r = await iobench(['compare', a, b]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /epoll\/undici\/c8\s+req\/s\s+1,000 \(950–1,050\)\s+1,020 \(990–1,040\)\s+\+20\s+\+2\.0%\s+noise/,
    );
    assert.match(
      r.stdout,
      /epoll\/undici\/c64\s+req\/s\s+2,000 \(1,900–2,100\)\s+3,000 \(2,950–3,100\)\s+\+1,000\s+\+50\.0%\s+better/,
    );
    assert.match(r.stdout, /p99\s+2\.00ms\s+2\.00ms\s+0µs\s+0\.0%/);
    assert.match(r.stdout, /cpu µs\/req\s+10\s+10\s+0/);
    const j = await iobench(['compare', a, b, '--json']);
    assert.equal(j.code, 0, j.stderr);
    const parsed = JSON.parse(j.stdout);
    assert.deepEqual(
      parsed.points.map((p: { label: string; metrics: { rps: { changePct: number } } }) => [
        p.label,
        p.metrics.rps.changePct,
      ]),
      [
        ['epoll/undici/c8', 2],
        ['epoll/undici/c64', 50],
      ],
    );
  });

  test('a drop within the repeats’ spread is noise: never labelled REGRESSION, never fails --fail-if-slower', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    // c8: the median fell 12%, but A's repeats spread 700–1,300 and B's 860–900 lie inside: noise.
    // c64: a 15% drop with tight repeats on both sides: a regression.
    const a = await resultsFile(dir, 'a.json', { 8: [1000, 700, 1300], 64: [2000, 1990, 2010] });
    const b = await resultsFile(dir, 'b.json', { 8: [880, 860, 900], 64: [1700, 1690, 1710] });
    const both = await iobench(['compare', a, b, '--fail-if-slower', '5']);
    assert.equal(both.code, 1, both.stderr);
    assert.match(
      both.stdout,
      /^epoll\/undici\/c8\s+req\/s\s+1,000 \(700–1,300\)\s+880 \(860–900\)\s+-120\s+-12\.0%\s+noise$/m,
    );
    assert.match(both.stdout, /^epoll\/undici\/c64\s+req\/s\s.*-15\.0%\s+worse, REGRESSION$/m);
    assert.doesNotMatch(both.stdout, /noise, REGRESSION/);
    assert.match(both.stderr, /1 regression\(s\) beyond --fail-if-slower 5%: epoll\/undici\/c64 req\/s -15\.0%\n/);
    assert.match(
      both.stdout,
      /^gate: not failed, as noise \(the repeats' ranges overlap\): epoll\/undici\/c8 req\/s -12\.0%; repeat more/m,
    );

    // The noisy point alone: the gate passes, and says which drop it let through as noise.
    const a8 = await resultsFile(dir, 'a8.json', { 8: [1000, 700, 1300] });
    const b8 = await resultsFile(dir, 'b8.json', { 8: [880, 860, 900] });
    const noisy = await iobench(['compare', a8, b8, '--fail-if-slower', '5', '--json']);
    assert.equal(noisy.code, 0, noisy.stderr);
    const parsed = JSON.parse(noisy.stdout);
    assert.deepEqual(parsed.regressions, []);
    assert.deepEqual(parsed.withinNoise, [{ label: 'epoll/undici/c8', metric: 'rps', changePct: -12 }]);
    assert.equal(parsed.points[0].metrics.rps.noise, true);
    assert.equal(parsed.points[0].metrics.rps.regression, false);
  });

  test('--fail-if-slower exits 1 when a point’s median req/s dropped beyond PCT, and watches p99 with --metric p99', async () => {
    const dir = await tempDir();
    const a = await resultsFile(dir, 'a.json', { 8: [1000, 990, 1010], 64: [2000, 1990, 2010] });
    const b = await resultsFile(dir, 'b.json', { 8: [900, 890, 910], 64: [2000, 1990, 2010] }, { p99Us: 3000 });
    const slower = await iobench(['compare', a, b, '--fail-if-slower', '5']);
    assert.equal(slower.code, 1, slower.stderr);
    assert.match(slower.stdout, /req\/s .*-10\.0%\s+worse, REGRESSION/);
    assert.match(slower.stderr, /1 regression\(s\) beyond --fail-if-slower 5%: epoll\/undici\/c8 req\/s -10\.0%/);
    const tolerated = await iobench(['compare', a, b, '--fail-if-slower', '15%']);
    assert.equal(tolerated.code, 0, tolerated.stderr);
    assert.match(tolerated.stdout, /gate: no point has a req\/s drop over 15%/);
    const p99 = await iobench(['compare', a, b, '--fail-if-slower', '15', '--metric', 'p99', '--json']);
    assert.equal(p99.code, 1);
    assert.deepEqual(
      JSON.parse(p99.stdout).regressions.map((x: { label: string; metric: string }) => [x.label, x.metric]),
      [
        ['epoll/undici/c8', 'p99'],
        ['epoll/undici/c64', 'p99'],
      ],
    );
    const bad = await iobench(['compare', a, b, '--fail-if-slower', 'fast']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--fail-if-slower expects a percentage of at least 0, e\.g\. 5 or 5% \(got "fast"\)/);
  });

  test('two capacity runs: the capacity of each search compared and gated (exit 1); against a run of points, refused (exit 2)', async () => {
    const dir = await tempDir();
    /** A search that found `estimates` in its rounds, each a passing probe, and missed above. */
    const search = async (name: string, estimates: number[]) => {
      const results = makeCapacityResults({
        estimates,
        probes: [...estimates.map((rate) => ({ rate, pass: true })), { rate: 3_000, pass: false }],
      });
      const path = join(dir, name);
      await writeFile(path, JSON.stringify(results));
      return path;
    };
    const a = await search('a.json', [2_000, 2_050, 2_100]);
    const b = await search('b.json', [1_700, 1_750, 1_800]);
    const r = await iobench(['compare', a, b, '--fail-if-slower', '5']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stdout,
      /epoll\/undici\/c8\s+p99<20ms\s+capacity req\/s\s+2,050 \(2,000–2,100\)\s+1,750 \(1,700–1,800\)\s+-300\s+-14\.6%\s+worse, REGRESSION/,
    );
    assert.match(r.stdout, /p99 at knee\s+2\.00ms @2,050\s+2\.00ms @1,750/);
    assert.doesNotMatch(r.stdout, /rate2000\/p0/, 'probes are not compared as points');
    assert.match(r.stderr, /1 regression\(s\) beyond --fail-if-slower 5%: epoll\/undici\/c8 capacity -14\.6%/);
    const json = JSON.parse((await iobench(['compare', a, b, '--json'])).stdout);
    assert.deepEqual(json.capacity[0].capacity.b, { median: 1_750, min: 1_700, max: 1_800, n: 3 });

    const points = await resultsFile(dir, 'points.json', { 8: [1000] });
    const mixed = await iobench(['compare', a, points]);
    assert.equal(mixed.code, 2);
    assert.match(
      mixed.stderr,
      /a\.json holds capacity searches \(--find-capacity\), .*points\.json points measured at a set load/,
    );
    assert.match(mixed.stderr, /hint: compare .*a\.json with another --find-capacity run of the same plan and SLO/);
  });

  test('different plans are an error naming what differs; partial matches list the rest; corrupt files are clear errors', async () => {
    const dir = await tempDir();
    const a = await resultsFile(dir, 'a.json', { 8: [1000], 64: [2000] });
    const wrk = await resultsFile(dir, 'wrk.json', { 8: [1000] }, { load: 'wrk' });
    const different = await iobench(['compare', a, wrk]);
    assert.equal(different.code, 2);
    assert.match(
      different.stderr,
      /a\.json and .*wrk\.json have no point in common .*load generators: undici in .*a\.json, wrk in .*wrk\.json/,
    );
    const partial = await resultsFile(dir, 'partial.json', { 8: [1000], 512: [3000] });
    const p = await iobench(['compare', a, partial]);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /only in .*a\.json \(not compared\): epoll\/undici\/c64/);
    assert.match(p.stdout, /only in .*partial\.json \(not compared\): epoll\/undici\/c512/);
    const corrupt = join(dir, 'corrupt.json');
    await writeFile(corrupt, '{"schemaVersion": 1, "points": [');
    const c = await iobench(['compare', a, corrupt]);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /results file .*corrupt\.json is not valid JSON/);
  });

  test('a corrupt histogram in valid JSON names the file, the point and the field (exit 2)', async () => {
    const dir = await tempDir();
    const a = await resultsFile(dir, 'a.json', { 8: [1000], 64: [2000] });
    const b = await resultsFile(dir, 'b.json', { 8: [1000], 64: [2000] });
    const results = JSON.parse(await readFile(b, 'utf8')) as ResultsFile;
    results.points[1]!.latencyUs.hdr = 'not a histogram';
    await writeFile(b, JSON.stringify(results));
    const r = await iobench(['compare', a, b]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /b\.json is not a valid iobench results file: point epoll\/undici\/c64\/r0: points\[1\]\.latencyUs\.hdr: expected an HDR histogram/,
    );
    assert.doesNotMatch(r.stderr, /^iobench: Encoding not supported/m);
  });
});
