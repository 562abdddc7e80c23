import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PointResult, ResultsFile } from '@iobench/core';
import { ResultsMismatchError, summarisePerConnection } from '@iobench/core';
import { createLatencyHistogram, encodeHistogram, histogramCount, summariseHistogram } from '@iobench/core/histogram';
import { makePoint, makeResults, type PointSpec } from '@iobench/core/testing';
import { type MergeInput, mergeResults } from './merge.js';
import { sharedSeedCheck } from './merge-arrivals.js';
import { checkProblems } from './merge-checks.js';

/** A point measured from one host: `latenciesUs` are its requests' latencies. */
function point(connections: number, latenciesUs: number[], extra: PointSpec = {}): PointResult {
  return makePoint({
    server: 'target',
    params: { connections },
    latencyUs: latenciesUs.map((us) => [us, 1] as const),
    errors: { timeout: 1 },
    perConnection: summarisePerConnection(
      Array.from({ length: connections }, () => Math.floor(latenciesUs.length / connections)),
    ),
    perSecond: [{ second: 0, requests: latenciesUs.length, errors: 1 }],
    loadStats: { cpuUs: 5000, cpuUsPerRequest: 1, generatorBound: false },
    loadExtra: { threads: 1 },
    startedAt: '2026-01-01T00:00:01.000Z',
    ...extra,
  });
}

function host(hostname: string, points: PointResult[], createdAt = '2026-01-01T00:00:00.000Z'): ResultsFile {
  return makeResults(points, {
    createdAt,
    finishedAt: '2026-01-01T00:01:00.000Z',
    env: { hostname, cpuCount: 2 },
    plan: {
      servers: [],
      target: 'http://127.0.0.1:8080/',
      connections: [8, 64],
      sweep: [{ key: 'connections', values: [8, 64] }],
      pointCount: 2,
    },
  });
}

const fastA = Array.from({ length: 800 }, (_, i) => 100 + (i % 50));
const slowB = Array.from({ length: 200 }, (_, i) => 5000 + i * 37);

function twoHosts(): MergeInput[] {
  return [
    { file: 'a.json', results: host('load-a', [point(8, fastA), point(64, fastA.slice(0, 640))]) },
    {
      file: 'b.json',
      results: host(
        'load-b',
        [
          point(8, slowB, {
            loadStats: { cpuUs: 3000, cpuUsPerRequest: 15, generatorBound: true, generatorBoundReason: 'saturated' },
          }),
          point(64, slowB.slice(0, 128)),
        ],
        '2026-01-01T00:00:02.000Z',
      ),
    },
  ];
}

/** twoHosts measured together at 1000 req/s of Poisson arrivals, host i drawing from `seeds[i]`. */
function poissonHosts(seeds: [number, number]): MergeInput[] {
  return twoHosts().map((input, i) => {
    const { results } = input;
    results.plan = { ...results.plan, rate: [1000], arrivals: 'poisson', seed: seeds[i] };
    for (const p of results.points) {
      p.params = { ...p.params, rate: 1000, arrivals: 'poisson', seed: seeds[i] };
      p.measuredStart = { at: '2026-01-01T00:00:10.000Z' };
    }
    return input;
  });
}

describe('mergeResults', () => {
  test('adds histograms exactly: the merged count equals the summed requests and percentiles match one histogram of every value', () => {
    const merged = mergeResults(twoHosts());
    const p = merged.points[0]!;
    assert.equal(p.requests, 1000);
    assert.equal(histogramCount(p.latencyUs.hdr), p.requests);
    const all = createLatencyHistogram();
    for (const v of [...fastA, ...slowB]) all.recordValue(v);
    const { hdr: _, ...expected } = summariseHistogram(encodeHistogram(all));
    const { hdr: __, ...actual } = p.latencyUs;
    assert.deepEqual(actual, expected);
    assert.ok(p.latencyUs.p99 > 5000, 'the slow host shows in the tail');
    for (const q of merged.points) assert.equal(histogramCount(q.latencyUs.hdr), q.requests);
  });

  test('each second’s latency merges exactly when every host kept one, and is left out when one did not', () => {
    const withSeconds = twoHosts();
    for (const { results } of withSeconds)
      for (const p of results.points) p.perSecond = [{ ...p.perSecond![0]!, latencyUs: p.latencyUs }];
    const merged = mergeResults(withSeconds).points[0]!;
    assert.equal(merged.perSecond?.[0]?.latencyUs?.p99, merged.latencyUs.p99);
    assert.equal(histogramCount(merged.perSecond![0]!.latencyUs!.hdr), 1000);
    const oneWithout = twoHosts();
    oneWithout[0]!.results.points[0]!.perSecond = [
      { ...oneWithout[0]!.results.points[0]!.perSecond![0]!, latencyUs: oneWithout[0]!.results.points[0]!.latencyUs },
    ];
    assert.equal(mergeResults(oneWithout).points[0]!.perSecond?.[0]?.latencyUs, undefined, 'wrk on one host');
  });

  test('sums counts and rates, concatenates per-connection counts and records every host', () => {
    const merged = mergeResults(twoHosts());
    const p = merged.points[0]!;
    assert.equal(p.rps, 1000, 'hosts loaded the server concurrently: rates add');
    assert.equal(p.bytes, 100_000);
    assert.equal(p.errors.timeout, 2);
    assert.deepEqual(p.perSecond, [{ second: 0, requests: 1000, errors: 2 }]);
    assert.equal(p.perConnection?.connections, 16);
    assert.equal(p.perConnection?.counts.length, 16);
    assert.equal(p.loadStats.cpuUs, 8000);
    assert.equal(p.loadStats.cpuUsPerRequest, 8);
    assert.equal(p.loadStats.generatorBound, true, 'generator-bound when any host was');
    assert.match(p.loadStats.generatorBoundReason ?? '', /b\.json: saturated/);
    assert.deepEqual(p.loadExtra, { 'host1.threads': 1, 'host2.threads': 1 });
    assert.equal(merged.points[1]!.loadStats.generatorBound, false);
    assert.equal(merged.env.hostname, 'load-a, load-b');
    assert.deepEqual(
      merged.env.hosts.map((h) => [h.file, h.hostname, h.createdAt]),
      [
        ['a.json', 'load-a', '2026-01-01T00:00:00.000Z'],
        ['b.json', 'load-b', '2026-01-01T00:00:02.000Z'],
      ],
    );
    assert.equal(merged.createdAt, '2026-01-01T00:00:00.000Z');
    assert.equal(merged.status, 'complete');
    assert.deepEqual(merged.plan, twoHosts()[0]!.results.plan);
  });

  test('server stats are kept when one host recorded them, per request of every host', () => {
    const inputs = twoHosts();
    const stats = {
      cpuUs: 50_000,
      cpuUsPerRequest: 62.5,
      ctxSwitches: 100,
      ctxSwitchesPerRequest: 0.13,
    } as PointResult['serverStats'];
    inputs[0]!.results.points[0]!.serverStats = stats;
    const p = mergeResults(inputs).points[0]!;
    assert.equal(p.serverStats?.cpuUs, 50_000);
    assert.equal(p.serverStats?.cpuUsPerRequest, 50);
    inputs[1]!.results.points[0]!.serverStats = stats;
    assert.equal(
      mergeResults(inputs).points[0]!.serverStats,
      undefined,
      'two servers’ stats cannot be told apart: dropped',
    );
  });

  test('a generator figure is summed only when every host recorded it: a sum missing one would understate it', () => {
    const inputs = twoHosts();
    const [a, b] = inputs.map((i) => i.results.points[0]!);
    a!.loadStats = { ...a!.loadStats, userCpuUs: 800, systemCpuUs: 1200, voluntaryCtxSwitches: 10 };
    b!.loadStats = { ...b!.loadStats, userCpuUs: 200, systemCpuUs: 300, syscalls: { recv: 200 } };
    const p = mergeResults(inputs).points[0]!;
    assert.deepEqual(
      [p.loadStats.userCpuUsPerRequest, p.loadStats.systemCpuUsPerRequest],
      [1, 1.5],
      '1,000 µs user and 1,500 µs system over 1,000 requests',
    );
    assert.equal(p.loadStats.voluntaryCtxSwitches, undefined, 'load-b did not count switches');
    assert.equal(p.loadStats.syscalls, undefined, 'load-a did not count syscalls');
  });

  test('a failed point on one host makes the merged point failed', () => {
    const inputs = twoHosts();
    inputs[1]!.results.points[1] = point(64, [], { status: 'failed', error: { code: 'X', message: 'boom' }, rps: 0 });
    const p = mergeResults(inputs).points[1]!;
    assert.equal(p.status, 'failed');
    assert.equal(p.error?.message, 'boom');
  });

  test('plans that differ are an error naming the difference', () => {
    const inputs = twoHosts();
    inputs[1]!.results.plan = { ...inputs[1]!.results.plan, loads: ['wrk'], durationMs: 2000 };
    assert.throws(
      () => mergeResults(inputs),
      (e: unknown) =>
        e instanceof ResultsMismatchError &&
        e.exitCode === 2 &&
        /cannot merge b\.json with a\.json: the plans differ in load generators: undici in a\.json, wrk in b\.json; duration \(ms\): 1000 in a\.json, 2000 in b\.json/.test(
          e.message,
        ),
    );
  });

  test('Poisson runs drawn from different seeds merge into one point: counts summed, each seed kept under merge.parts', () => {
    // Two hosts not given --seed draw random ones; the plans and points differ in nothing else.
    const inputs = poissonHosts([7, 8]);
    const merged = mergeResults(inputs, { strict: true });
    const p = merged.points[0]!;
    assert.equal(p.requests, 1000, 'the requests of both hosts');
    assert.equal(histogramCount(p.latencyUs.hdr), 1000);
    assert.equal(p.params.arrivals, 'poisson');
    assert.equal(p.params.rate, 1000);
    assert.equal(p.params.seed, undefined, 'no one seed drew the merged point');
    assert.equal(merged.plan.seed, undefined);
    assert.equal(merged.plan.arrivals, 'poisson');
    assert.deepEqual(
      p.merge?.parts.map((part) => [part.file, part.seed]),
      [
        ['a.json', 7],
        ['b.json', 8],
      ],
    );
    assert.deepEqual(checkProblems(sharedSeedCheck, merged.points), []);

    // The seed is all that is ignored: another rate is still another measurement.
    const other = poissonHosts([7, 8]);
    other[1]!.results.plan = { ...other[1]!.results.plan, rate: [2000] };
    assert.throws(() => mergeResults(other), /the plans differ in rate: 1000 in a\.json, 2000 in b\.json/);
    const otherPoint = poissonHosts([7, 8]);
    otherPoint[1]!.results.points[0]!.params.rate = 2000;
    assert.throws(
      () => mergeResults(otherPoint),
      /cannot merge point target\/undici\/c8\/r0: b\.json measured it with other parameters/,
    );
  });

  test('Poisson runs drawn from one seed sent in step: merged with a warning, refused with strict', () => {
    const merged = mergeResults(poissonHosts([7, 7]));
    assert.equal(merged.points[0]!.params.seed, 7, 'a seed every part shares is kept');
    assert.equal(merged.plan.seed, 7);
    const [problem, ...more] = checkProblems(sharedSeedCheck, merged.points);
    assert.equal(more.length, 1, 'both points');
    assert.match(
      problem!,
      /^target\/undici\/c8\/r0: runs drew the same Poisson arrivals \(a\.json and b\.json with seed 7\): they sent in step/,
    );
    assert.throws(
      () => mergeResults(poissonHosts([7, 7]), { strict: true }),
      (e: unknown) =>
        e instanceof ResultsMismatchError &&
        /refusing to merge \(--strict\): 2 point\(s\) add up runs that drew the same Poisson arrivals/.test(
          e.message,
        ) &&
        e.suggestions.some((s) => /its own --seed, or none/.test(s)),
    );
  });

  test('a point missing from one file, the same run twice and a single file are errors', () => {
    const inputs = twoHosts();
    inputs[1]!.results.points.pop();
    assert.throws(
      () => mergeResults(inputs),
      /1 point\(s\) of a\.json are missing from b\.json \(target\/undici\/c64\/r0\)/,
    );
    const a = twoHosts()[0]!;
    assert.throws(() => mergeResults([a, { ...a, file: 'copy.json' }]), /a\.json and copy\.json are the same run/);
    assert.throws(() => mergeResults([a]), /at least two results files \(got 1\)/);
  });

  test('capacity searches are refused, even two that probed the same rates: their probes never loaded the server together', () => {
    /** A host's search that probed 1,000 req/s and passed: what a merge could otherwise add up. */
    const search = (hostname: string, createdAt: string): ResultsFile => {
      const results = host(
        hostname,
        [
          point(8, fastA, {
            id: 'target/undici/c8/rate1000/p0',
            params: { connections: 8, rate: 1000 },
            capacityProbe: { search: 'target/undici/c8', phase: 'search', pass: true },
          }),
        ],
        createdAt,
      );
      results.plan.findCapacity = { slo: ['p99<20ms'], probeDurationMs: 1000, rounds: 1 };
      return results;
    };
    const a = { file: 'a.json', results: search('load-a', '2026-01-01T00:00:00.000Z') };
    const b = { file: 'b.json', results: search('load-b', '2026-01-01T00:00:02.000Z') };
    const plain = twoHosts()[1]!;
    for (const inputs of [
      [a, b],
      [plain, a],
    ]) {
      assert.throws(
        () => mergeResults(inputs),
        (e: unknown) =>
          e instanceof ResultsMismatchError &&
          e.exitCode === 2 &&
          /cannot merge a\.json: it holds capacity searches \(--find-capacity\), and searches do not add up\. Each probe's rate follows from that search's own earlier probes/.test(
            e.message,
          ) &&
          e.suggestions.some((s) => /iobench compare A B/.test(s)),
      );
    }
  });

  test('a histogram that disagrees with its request count is reported, not merged', () => {
    const inputs = twoHosts();
    inputs[1]!.results.points[0]!.requests = 5;
    assert.throws(
      () => mergeResults(inputs),
      /point target\/undici\/c8\/r0: its latency histograms hold 1000 values but the files report 805 requests/,
    );
  });
});
