// The open model, checked against queueing theory (issue 17, item 6): a single epoll loop with a
// 500 µs handler spin is one deterministic server; its mean latency under Poisson arrivals must
// follow M/D/1. The check stops at ρ 0.7: the wait grows as ρ/(1−ρ), and at a nominal 0.8 (about
// 0.88 once the loop's own CPU under load is counted) a 5% error in the service time moves the
// prediction by 40% — a CI neighbour that preempts the server for a moment failed it (4,271 µs
// against 3,123). Preemption only lengthens service, so the bound is looser above (+50%) than below
// (−35%); a generator that waited for responses (a closed model) reads ~60% below and still fails.
// benchmarks/capacity.mjs holds the tight check (±25%, ρ 0.8) on a quiet machine. The knee against
// 1e6 / (S + C) is checked where the search itself is (run-capacity.test.ts), on the same server.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { md1MeanLatencyUs, saturationRate } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

const SPIN_US = 500;

async function run(args: string[]): Promise<ResultsFile> {
  const out = await tempDir();
  // Server and generator on a core each, so that the spinning handler never delays a send.
  const pinned = ['--server-cpus', '0', '--load-cpus', '1'];
  const r = await iobench(
    ['run', '--server', 'epoll', '--warmup', '500ms', ...pinned, ...args, '--out', out, '--force'],
    { timeoutMs: 180_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
}

test('epoll with a 500 µs handler: the mean latency at ρ 0.5 and 0.7 matches M/D/1', async (t) => {
  // C: the loop's own CPU per request, measured with no handler work.
  const bare = await run(['--work', 'none', '--duration', '1s']);
  const ownUs = bare.points[0]!.serverStats!.cpuUsPerRequest;
  const serviceUs = SPIN_US + ownUs;
  const predicted = saturationRate(serviceUs);
  t.diagnostic(`C = ${ownUs} µs; saturation at ${Math.round(predicted)} req/s`);

  const rhos = [0.05, 0.5, 0.7];
  const rates = rhos.map((rho) => Math.round(rho * predicted));
  const sweep = await run([
    '--work',
    `cpu:${SPIN_US}`,
    '--rate',
    rates.join(','),
    '--arrivals',
    'poisson',
    '--duration',
    '3s',
  ]);
  // Send-to-response latency: the server's queue, without the generator's own send lag; the
  // service time each point's own CPU per request (see md1MeanLatencyUs).
  const at = sweep.points.map((p) => ({
    ratePerS: p.params.rate!,
    serviceUs: p.serverStats!.cpuUsPerRequest,
    meanUs: p.latencyUncorrectedUs!.mean,
  }));
  for (const [i, rho] of rhos.entries()) {
    if (i === 0) continue;
    const expected = md1MeanLatencyUs(at[i]!, at[0]!);
    t.diagnostic(
      `ρ ${rho}: mean ${Math.round(at[i]!.meanUs)} µs, M/D/1 ${Math.round(expected)} µs (s ${at[i]!.serviceUs} µs)`,
    );
    const ratio = at[i]!.meanUs / expected;
    assert.ok(ratio > 0.65 && ratio < 1.5, `ρ ${rho}: ${at[i]!.meanUs} µs vs ${expected} µs predicted`);
  }
});
