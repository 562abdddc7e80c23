import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildResults } from '../../test/support/results-fixture.js';
import { buildReportModel } from '../model/sweep-model.js';
import { buildCharts, logTicks } from './chart-specs.js';

type Spec = Record<string, any>;

function charts(results = buildResults()): Map<string, Spec> {
  return new Map(buildCharts(buildReportModel(results), { width: 600, height: 340 }).map((c) => [c.name, c.spec]));
}

/** Every `encoding` object in a spec, however deeply layered or faceted. */
function encodings(spec: Spec): Spec[] {
  const found: Spec[] = [];
  const walk = (o: unknown) => {
    if (!o || typeof o !== 'object') return;
    const record = o as Spec;
    if (record.encoding) found.push(record.encoding);
    for (const v of Object.values(record)) walk(v);
  };
  walk(spec);
  return found;
}

test('log ticks run from the 1-2-5 step at or below the smallest value to the one at or above the largest', () => {
  assert.deepEqual(logTicks(0.017, 180), [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200]);
  assert.deepEqual(logTicks(2, 2), [2]);
  assert.deepEqual(logTicks(0.3, 0.9), [0.2, 0.5, 1]);
});

test('the spectrum’s log y axis starts and ends at a labelled tick, and no line starts with a stub at x = 1', () => {
  const spec = charts().get('latency-spectrum')!;
  const y = spec.spec.encoding.y;
  assert.deepEqual(y.scale.domain, [y.axis.values[0], y.axis.values.at(-1)]);
  const latencies = spec.data.values.map((r: { latencyMs: number }) => r.latencyMs);
  assert.ok(Math.min(...latencies) >= y.scale.domain[0] && Math.max(...latencies) <= y.scale.domain[1]);
  const inverses = spec.data.values.map((r: { inverse: number }) => r.inverse);
  assert.ok(!inverses.includes(1), 'no sample at 0% (the minimum alone)');
  assert.equal(spec.spec.encoding.x.scale.domain[0], Math.min(...inverses), 'the x axis starts where the lines do');
});

test('throughput over time plots second k from x = k to k + 1, the last one ending with the phase', () => {
  const spec = charts().get('throughput-over-time')!;
  const rows = spec.data.values.filter((r: Spec) => r.server === 'epoll' && r.panel === 'connections 64');
  assert.deepEqual(
    rows.map((r: Spec) => [r.startS, r.endS, Boolean(r.closing)]),
    [
      [0, 1, false],
      [1, 2, false],
      [2, 3, false],
      [3, 3, true],
    ],
  );
  const x = spec.spec.layer[0].encoding.x;
  assert.deepEqual(x.scale.domain, [0, 3]);
});

test('latency over time holds p50 and p99 of each second, from the per-second histograms', () => {
  const results = buildResults();
  const spec = charts(results).get('latency-over-time')!;
  const point = results.points.find((p) => p.id === 'epoll/undici/c8/r0')!;
  const rows = spec.data.values.filter((r: Spec) => r.server === 'epoll' && r.panel === 'connections 8' && !r.closing);
  assert.equal(rows.length, 3);
  assert.ok(rows.every((r: Spec) => r.p50Ms > 0 && r.p99Ms >= r.p50Ms));
  assert.ok(rows[0].p50Ms < rows[2].p50Ms, 'the fixture’s latency creeps up second by second');
  assert.ok(point.perSecond!.every((s) => s.latencyUs));
  for (const s of results.points.flatMap((p) => p.perSecond ?? [])) delete s.latencyUs;
  assert.equal(charts(results).get('latency-over-time'), undefined, 'no per-second histograms (wrk): no chart');
});

test('the bottleneck legend and its words appear only when some point is generator-bound', () => {
  const bound = [...charts().values()];
  assert.ok(bound.some((s) => JSON.stringify(s).includes('generator-bound (the load generator')));
  const results = buildResults();
  for (const p of results.points) p.loadStats.generatorBound = false;
  for (const [name, spec] of charts(results)) {
    assert.doesNotMatch(JSON.stringify(spec.title), /generator-bound/, `${name}: subtitle`);
    for (const e of encodings(spec))
      assert.ok(
        e.shape?.title !== 'bottleneck' && e.strokeDash?.title !== 'bottleneck',
        `${name}: no bottleneck legend`,
      );
  }
});
