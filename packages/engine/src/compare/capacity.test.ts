import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { ResultsMismatchError } from '@iobench/core';
import { makeCapacityResults, makePoint, makeResults } from '@iobench/core/testing';
import { compareResults } from './compare.js';
import { renderComparison } from './render.js';

const SEARCH = 'epoll/undici/c8';

/** A search that found `estimates`: a passing probe at each, and a failure above the highest. */
function found(estimates: number[], options: { seed?: number; p99Us?: number } = {}): ResultsFile {
  return makeCapacityResults({
    estimates,
    seed: options.seed,
    probes: [
      ...estimates.map((rate) => ({ rate, pass: true, p99Us: options.p99Us })),
      { rate: Math.max(...estimates) * 1.2, pass: false },
    ],
  });
}

describe('compare: capacity runs', () => {
  test('matches searches across seeds and compares the capacity, its rounds’ interval and the latency at each knee', () => {
    const a = found([1_000, 1_050, 1_100], { seed: 7, p99Us: 1_000 });
    const b = found([1_300, 1_350, 1_400], { seed: 8, p99Us: 2_000 });
    const r = compareResults(a, b, { names: ['a.json', 'b.json'] });
    assert.deepEqual(r.points, [], 'probes are not compared as points');
    const [search] = r.capacity!;
    assert.equal(search!.label, SEARCH);
    assert.deepEqual(search!.capacity!.a, { median: 1_050, min: 1_000, max: 1_100, n: 3 });
    assert.equal(search!.capacity!.changePct, 28.57);
    assert.equal(search!.capacity!.verdict, 'better');
    assert.equal(search!.capacity!.noise, false);
    assert.deepEqual(search!.a.knee, { rateRps: 1_050, p50Us: 200, p99Us: 1_000 }, 'the passing probe at the capacity');
    assert.equal(search!.b.knee!.p99Us, 2_000);
    assert.match(r.ignored.join(), /seed of the Poisson arrivals: 7 in a\.json, 8 in b\.json/);
    const text = renderComparison(r);
    assert.match(
      text,
      /epoll\/undici\/c8\s+p99<20ms\s+capacity req\/s\s+1,050 \(1,000–1,100\)\s+1,350 \(1,300–1,400\)\s+\+300\s+\+28\.6%\s+better/,
    );
    assert.match(text, /^\s+p99 at knee\s+1\.00ms @1,050\s+2\.00ms @1,350\s+\+1\.00ms$/m);
    assert.match(text, /shown, not judged/);
  });

  test('the one rule: a drop within the rounds’ interval is noise and never fails the gate; outside it, a regression', () => {
    const a = found([1_000, 1_050, 1_100]);
    const inNoise = compareResults(a, found([900, 950, 1_000]), { failIfSlowerPct: 5 });
    assert.equal(inNoise.capacity![0]!.capacity!.noise, true);
    assert.deepEqual(inNoise.regressions, []);
    assert.deepEqual(inNoise.withinNoise, [{ label: SEARCH, metric: 'capacity', changePct: -9.52 }]);
    assert.match(renderComparison(inNoise), /gate: not failed, as noise .*epoll\/undici\/c8 capacity -9\.5%/);

    const slower = compareResults(a, found([800, 850, 900]), { failIfSlowerPct: 5 });
    assert.deepEqual(slower.regressions, [{ label: SEARCH, metric: 'capacity', changePct: -19.05 }]);
    const text = renderComparison(slower);
    assert.match(text, /capacity req\/s .* -19\.1%\s+worse, REGRESSION$/m);
    assert.match(text, /gate: 1 regression\(s\), capacity drop over 5%: epoll\/undici\/c8 capacity -19\.1%/);
  });

  test('a single refinement round has no interval: the change is judged by the threshold alone, and said so', () => {
    const r = compareResults(found([1_000]), found([900]), { failIfSlowerPct: 5 });
    assert.equal(r.singleRepeat, true);
    assert.equal(r.regressions.length, 1);
    assert.match(renderComparison(r), /single refinement round.*--capacity-rounds 3/);
  });

  test('a capacity found in A and none in B is worse by at least the drop to B’s lowest probe: a regression when gated', () => {
    const b = makeCapacityResults({
      outcome: 'none',
      probes: [400, 200, 100].map((rate) => ({ rate, pass: false })),
    });
    const r = compareResults(found([1_000, 1_050, 1_100]), b, { names: ['a.json', 'b.json'], failIfSlowerPct: 5 });
    assert.deepEqual(r.capacity![0]!.lost, { pct: -90.48, noise: false });
    assert.equal(r.regressions.length, 1);
    const text = renderComparison(r);
    assert.match(text, /none met the SLO, down to 100\s+-\s+≤-90\.5%\s+worse, REGRESSION/);
    assert.match(text, /epoll\/undici\/c8 capacity ≤-90\.5% \(no rate met the SLO in b\.json, down to 100 req\/s\)/);
  });

  test('a side without a number to compare (generator-bound, interrupted) is listed with its answer and why', () => {
    const bound = makeCapacityResults({
      outcome: 'generator-bound',
      rate: 5_000,
      probes: [{ rate: 5_000, pass: true }],
    });
    const interrupted = makeCapacityResults({
      outcome: 'interrupted',
      bracket: { highestPassRps: 900, lowestFailRps: 1_200 },
      probes: [
        { rate: 1_200, pass: false },
        { rate: 900, pass: true },
      ],
    });
    const r = compareResults(bound, interrupted, { names: ['a.json', 'b.json'], failIfSlowerPct: 5 });
    assert.equal(r.capacity![0]!.capacity, undefined);
    assert.deepEqual(r.regressions, []);
    const text = renderComparison(r);
    assert.match(
      text,
      /above 5,000 \(generator-bound\)\s+between 900 and 1,200 req\/s \(interrupted\)\s+-\s+-\s+not compared/,
    );
    assert.match(
      text,
      /epoll\/undici\/c8: not compared, the generator saturated in a\.json before the SLO broke, .*above 5,000 req\/s; the search was interrupted in b\.json/,
    );
  });

  test('searches for another SLO are another question: no match, and the error names the SLOs', () => {
    const other = makeCapacityResults({ estimates: [1_000], probes: [{ rate: 1_000, pass: true }], slo: ['p99<5ms'] });
    assert.throws(
      () => compareResults(found([1_000]), other, { names: ['a.json', 'b.json'] }),
      (e: Error) =>
        e instanceof ResultsMismatchError &&
        /no capacity search in common .*capacity search slo: p99<20ms in a\.json, p99<5ms in b\.json/.test(e.message),
    );
  });

  test('a capacity run and a run of points: refused, saying what each holds and what each compares with', () => {
    const points = makeResults([makePoint({ rps: 1_000 })]);
    for (const [a, b] of [
      [found([1_000]), points],
      [points, found([1_000])],
    ] as const) {
      const names: [string, string] = a === points ? ['points.json', 'search.json'] : ['search.json', 'points.json'];
      assert.throws(
        () => compareResults(a, b, { names }),
        (e: Error) =>
          e instanceof ResultsMismatchError &&
          /search\.json holds capacity searches \(--find-capacity\), points\.json points measured at a set load\. A capacity .* and a point's req\/s are different measurements/.test(
            e.message,
          ) &&
          /In search\.json: epoll\/undici\/c8: found/.test(e.message) &&
          (e.suggestions ?? []).some((s) => /compare search\.json with another --find-capacity run/.test(s)),
      );
    }
  });
});
