import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PointResult, ResultsFile, RunPlan } from '@iobench/core';
import { ResultsMismatchError } from '@iobench/core';
import { makePoint, makeResults, makeServerStats } from '@iobench/core/testing';
import { compareResults } from './compare.js';
import { renderComparison } from './render.js';

interface PointSpec {
  server?: string;
  load?: string;
  connections?: number;
  repeat?: number;
  rps: number;
  p50Us?: number;
  p99Us?: number;
  cpuUsPerRequest?: number;
  status?: PointResult['status'];
}

/** A point whose histogram holds 98 values at p50Us and 2 at p99Us, so p50 and p99 are exactly those. */
function point(s: PointSpec): PointResult {
  return makePoint({
    server: s.server,
    load: s.load,
    repeat: s.repeat,
    status: s.status,
    rps: s.rps,
    params: { connections: s.connections ?? 8 },
    latencyUs: [
      [s.p50Us ?? 100, 98],
      [s.p99Us ?? 1000, 2],
    ],
    ...(s.cpuUsPerRequest !== undefined
      ? { serverStats: makeServerStats({ cpuUsPerRequest: s.cpuUsPerRequest }) }
      : {}),
  });
}

/** The points' file, with the plan of three repeats of epoll under undici at 8 connections unless `plan` says otherwise. */
function run(points: PointResult[], plan: Partial<RunPlan> = {}): ResultsFile {
  return makeResults(points, { plan: { servers: ['epoll'], connections: [8], repeat: 3, sweep: [], ...plan } });
}

/** Three repeats of one point with the given req/s values. */
function repeats(rps: number[], extra: Omit<PointSpec, 'rps' | 'repeat'> = {}): PointResult[] {
  return rps.map((r, repeat) => point({ ...extra, rps: r, repeat }));
}

describe('compareResults', () => {
  test('matches points by server, load and parameters and reports the change of each median', () => {
    const a = run([
      ...repeats([1000, 900, 1100], { cpuUsPerRequest: 20 }),
      ...repeats([500, 500, 500], { connections: 64 }),
    ]);
    const b = run([
      ...repeats([1500, 1400, 1600], { cpuUsPerRequest: 10 }),
      ...repeats([500, 500, 500], { connections: 64 }),
    ]);
    const r = compareResults(a, b, { names: ['a.json', 'b.json'] });
    assert.deepEqual(
      r.points.map((p) => p.label),
      ['epoll/undici/c8', 'epoll/undici/c64'],
    );
    const rps = r.points[0]!.metrics.rps!;
    assert.deepEqual(rps.a, { median: 1000, min: 900, max: 1100, n: 3 });
    assert.equal(rps.change, 500);
    assert.equal(rps.changePct, 50);
    assert.equal(rps.verdict, 'better');
    assert.equal(rps.noise, false);
    const cpu = r.points[0]!.metrics.cpuUsPerRequest!;
    assert.equal(cpu.changePct, -50);
    assert.equal(cpu.verdict, 'better', 'less CPU per request is better');
    assert.equal(r.points[1]!.metrics.rps!.verdict, 'same');
    assert.equal(r.points[1]!.metrics.cpuUsPerRequest, undefined, 'no server stats, no CPU figure');
    assert.deepEqual(r.onlyInA, []);
    assert.equal(r.regressions.length, 0);
  });

  test('a median of an even number of repeats is the mean of the middle two', () => {
    const r = compareResults(run(repeats([100, 300, 200, 400])), run(repeats([100, 100])));
    assert.equal(r.points[0]!.metrics.rps!.a.median, 250);
  });

  test('a change within the repeats’ spread is noise', () => {
    const r = compareResults(run(repeats([1000, 800, 1200])), run(repeats([1100, 1150, 1050])));
    const rps = r.points[0]!.metrics.rps!;
    assert.equal(rps.verdict, 'better');
    assert.equal(rps.noise, true);
    assert.match(
      renderComparison(r),
      /req\/s\s+1,000 \(800–1,200\)\s+1,100 \(1,050–1,150\)\s+\+100\s+\+10\.0%\s+noise/,
    );
  });

  test('--fail-if-slower flags a req/s drop beyond the threshold, and p99 rises when asked', () => {
    const a = run(repeats([1000, 990, 1010], { p99Us: 1000 }));
    const b = run(repeats([880, 870, 890], { p99Us: 1200 }));
    assert.deepEqual(compareResults(a, b, { failIfSlowerPct: 15 }).regressions, []);
    const r = compareResults(a, b, { failIfSlowerPct: 10 });
    assert.deepEqual(r.regressions, [{ label: 'epoll/undici/c8', metric: 'rps', changePct: -12 }]);
    assert.equal(r.points[0]!.metrics.p99!.regression, false, 'p99 is not gated unless asked');
    const both = compareResults(a, b, { failIfSlowerPct: 10, gateMetrics: ['rps', 'p99'] });
    assert.deepEqual(
      both.regressions.map((x) => [x.metric, x.changePct]),
      [
        ['rps', -12],
        ['p99', 20],
      ],
    );
    assert.match(renderComparison(both), /gate: 2 regression\(s\), req\/s drop or p99 rise over 10%/);
    assert.deepEqual(
      compareResults(b, a, { failIfSlowerPct: 10, gateMetrics: ['rps', 'p99'] }).regressions,
      [],
      'getting faster is no regression',
    );
  });

  test('noise is never a regression: a gated drop within the repeats’ spread is listed, not failed', () => {
    const a = run(repeats([1000, 700, 1300]));
    const b = run(repeats([880, 860, 900]));
    const r = compareResults(a, b, { failIfSlowerPct: 5 });
    const rps = r.points[0]!.metrics.rps!;
    assert.deepEqual(
      [rps.verdict, rps.noise, rps.regression, rps.beyondThresholdInNoise],
      ['worse', true, false, true],
    );
    assert.deepEqual(r.regressions, []);
    assert.deepEqual(r.withinNoise, [{ label: 'epoll/undici/c8', metric: 'rps', changePct: -12 }]);
    const text = renderComparison(r);
    assert.match(text, /-12\.0%\s+noise$/m);
    assert.doesNotMatch(text, /REGRESSION/);
    assert.match(text, /^gate: no point has a req\/s drop over 5% beyond noise$/m);
    assert.match(
      text,
      /^gate: not failed, as noise \(the repeats' ranges overlap\): epoll\/undici\/c8 req\/s -12\.0%/m,
    );
    assert.deepEqual(compareResults(a, b).withinNoise, [], 'without a gate nothing is listed');
  });

  test('partially matching runs compare the matches and list the rest', () => {
    const a = run([
      point({ rps: 100, connections: 8 }),
      point({ rps: 100, connections: 64 }),
      point({ rps: 100, server: 'poll' }),
    ]);
    const b = run([point({ rps: 120, connections: 8 }), point({ rps: 100, connections: 512 })]);
    const r = compareResults(a, b, { names: ['a.json', 'b.json'] });
    assert.deepEqual(
      r.points.map((p) => p.label),
      ['epoll/undici/c8'],
    );
    assert.deepEqual(r.onlyInA, ['epoll/undici/c64', 'poll/undici/c8']);
    assert.deepEqual(r.onlyInB, ['epoll/undici/c512']);
    assert.equal(r.singleRepeat, true);
    const text = renderComparison(r);
    assert.match(text, /only in a\.json \(not compared\): epoll\/undici\/c64, poll\/undici\/c8/);
    assert.match(text, /only in b\.json \(not compared\): epoll\/undici\/c512/);
    assert.match(text, /single repeat/);
  });

  test('a point with no successful repeat on one side is listed, not compared', () => {
    const a = run([point({ rps: 100 }), point({ rps: 100, connections: 64 })]);
    const b = run([point({ rps: 0, status: 'failed' }), point({ rps: 100, connections: 64 })]);
    const r = compareResults(a, b, { names: ['a.json', 'b.json'] });
    assert.deepEqual(r.notCompared, [{ label: 'epoll/undici/c8', reason: 'no successful repeat in b.json' }]);
    assert.equal(r.points.length, 1);
  });

  test('runs of different plans are an error naming what does not match', () => {
    const a = run([point({ rps: 100 })]);
    const b = run([point({ rps: 100, load: 'wrk', server: 'poll' })], { loads: ['wrk'], servers: ['poll'] });
    assert.throws(
      () => compareResults(a, b, { names: ['a.json', 'b.json'] }),
      (e: unknown) =>
        e instanceof ResultsMismatchError &&
        e.exitCode === 2 &&
        /a\.json and b\.json have no point in common/.test(e.message) &&
        /servers: epoll in a\.json, poll in b\.json/.test(e.message) &&
        /load generators: undici in a\.json, wrk in b\.json/.test(e.message),
    );
    const longer = run([point({ rps: 100 })], { durationMs: 2000 });
    longer.points[0]!.params.durationMs = 2000;
    assert.throws(() => compareResults(a, longer), /duration \(ms\): 1000 in A, 2000 in B/);
    assert.throws(
      () => compareResults(a, { ...run([]), status: 'interrupted' }),
      /B holds no points \(status interrupted\)/,
    );
  });

  test('a warm-up that differs does not keep points apart, and the comparison says it ignored it', () => {
    const a = run(repeats([1000, 1000, 1000]));
    const b = run(repeats([1200, 1200, 1200]), { warmupMs: 1000 });
    for (const p of b.points) p.params.warmupMs = 1000;
    const r = compareResults(a, b, { names: ['a.json', 'b.json'] });
    assert.deepEqual(
      r.points.map((p) => p.label),
      ['epoll/undici/c8'],
    );
    assert.deepEqual(r.planDifferences, []);
    const text = renderComparison(r);
    assert.match(
      text,
      /^ignored, as it does not change what is measured: warm-up \(ms\): 0 in a\.json, 1000 in b\.json$/m,
    );
    assert.doesNotMatch(text, /the plans differ/);
  });

  test('Poisson runs drawn from different seeds are the same measurement: matched, the seeds named as ignored', () => {
    // A run not given --seed draws one at random: two such runs never had a seed in common.
    const poisson = (seed: number, rps: number[]) => {
      const r = run(repeats(rps), { arrivals: 'poisson', seed });
      for (const p of r.points) Object.assign(p.params, { rate: 1000, arrivals: 'poisson', seed });
      return r;
    };
    const r = compareResults(poisson(7, [1000, 1000, 1000]), poisson(8, [900, 900, 900]), {
      names: ['a.json', 'b.json'],
    });
    assert.equal(r.points[0]!.metrics.rps!.change, -100);
    assert.match(
      renderComparison(r),
      /^ignored, as it does not change what is measured: seed of the Poisson arrivals: 7 in a\.json, 8 in b\.json$/m,
    );
  });

  test('option differences name the option and both values, not whole option objects', () => {
    const a = run([point({ rps: 100 })], {
      serverOptions: { epoll: { edgeTriggered: false, host: '127.0.0.1', backlog: 511 } },
      loadOptions: { undici: { saturationThreshold: 0.9 } },
    });
    const b = run([point({ rps: 100 })], {
      serverOptions: { epoll: { edgeTriggered: true, host: '127.0.0.1', backlog: 511 } },
      loadOptions: { undici: {} },
    });
    const r = compareResults(a, b, { names: ['a.json', 'b.json'] });
    assert.deepEqual(r.planDifferences, [
      'server options epoll.edgeTriggered: false in a.json, true in b.json',
      'load options undici.saturationThreshold: 0.9 in a.json, (not set) in b.json',
    ]);
    assert.doesNotMatch(renderComparison(r), /\{/);
  });

  test('footnotes print only when they apply', () => {
    const text = renderComparison(compareResults(run(repeats([1000, 990, 1010])), run(repeats([2000, 1990, 2010]))));
    assert.doesNotMatch(text, /noise|single repeat|generator-bound|only in|differ|ignored/);
    const noisy = renderComparison(compareResults(run(repeats([1000, 800, 1200])), run(repeats([1100, 1150, 1050]))));
    assert.match(noisy, /^noise: the change lies within the repeats’ spread/m);
  });
});
