// At what load (issue 17): overload is a verdict every output carries, arrivals and stages are
// recorded, and --find-capacity finds a knee and says so.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { saturationRate } from '@iobench/core/testing';
import { iobench, isRunning, serverHostsOf, tempDir } from '../helpers.js';

async function results(dir: string): Promise<ResultsFile> {
  return JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as ResultsFile;
}

describe('iobench run: overload and the open model', () => {
  test('a rate far beyond what the server can take is flagged overloaded in the console and results.json, with the send lag', async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--server',
      'epoll',
      '--work',
      'cpu:200',
      '--rate',
      '50000',
      '--duration',
      '500ms',
      '--warmup',
      '0',
      '--reporter',
      'markdown,csv,html',
      '--out',
      out,
      '--force',
    ]);
    assert.equal(r.code, 0, r.stderr);
    // target → achieved in the rate column, the flag, and what to do about it.
    assert.match(r.stdout, /50,000 → [\d,]+/);
    assert.match(r.stdout, /OVERLOADED \(target 50,000 req\/s: .*never went out/);
    assert.match(r.stdout, /overloaded: the generator could not keep the schedule/);
    const [point] = (await results(out)).points;
    assert.equal(point!.schedule!.overloaded, true);
    assert.ok(point!.schedule!.droppedSends > 0);
    assert.match(point!.schedule!.overloadReason!, /never went out/);
    assert.ok(point!.schedule!.sendLagUs!.p99 > 0, 'the generator’s own lag is recorded');
    assert.equal(point!.params.arrivals, 'uniform');
    // Every reporter carries the verdict and its reason.
    const markdown = await readFile(join(out, 'results.md'), 'utf8');
    assert.match(markdown, /‡ overloaded: the generator could not keep the schedule/);
    assert.match(markdown, /epoll\/native\/c64\/r0: overloaded: \d+ send\(s\) never went out/);
    const [header, row] = (await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\n');
    const columns = header!.split(',');
    assert.equal(row!.split(',')[columns.indexOf('overloaded')], 'true');
    assert.match(await readFile(join(out, 'report.html'), 'utf8'), /never went out/);
  });

  test('a threshold can gate on dropped sends (exit 1)', async () => {
    const r = await iobench([
      'run',
      '--server',
      'epoll',
      '--work',
      'cpu:200',
      '--rate',
      '50000',
      '--duration',
      '300ms',
      '--warmup',
      '0',
      '--threshold',
      'dropped<1',
      '--out',
      await tempDir(),
      '--force',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /dropped<1, was [\d,]+/);
  });

  test('Poisson arrivals with a seed are recorded; stages ramp the offered load second by second', async () => {
    const poissonOut = await tempDir();
    const poisson = await iobench([
      'run',
      '--server',
      'epoll',
      '--rate',
      '2000',
      '--arrivals',
      'poisson',
      '--seed',
      '42',
      '--duration',
      '1s',
      '--warmup',
      '0',
      '--out',
      poissonOut,
      '--force',
    ]);
    assert.equal(poisson.code, 0, poisson.stderr);
    const p = (await results(poissonOut)).points[0]!;
    assert.equal(p.params.arrivals, 'poisson');
    assert.equal(p.params.seed, 42);
    // A Poisson count of mean 2000 has a standard deviation of 45.
    assert.ok(Math.abs(p.schedule!.offered! - 2000) < 250, `offered ${p.schedule!.offered}`);

    const stagedOut = await tempDir();
    const staged = await iobench([
      'run',
      '--server',
      'epoll',
      '--stages',
      '1s:1000,1s:3000',
      '--warmup',
      '0',
      '--out',
      stagedOut,
      '--force',
    ]);
    assert.equal(staged.code, 0, staged.stderr);
    assert.match(staged.stdout, /stages 1s:1000,1s:3000 \(uniform arrivals\)/);
    const s = (await results(stagedOut)).points[0]!;
    assert.equal(s.params.durationMs, 2000);
    assert.equal(s.params.rate, 3000);
    // 0 → 1000 req/s over the first second offers 500; 1000 → 3000 over the second, 2000.
    const offered = s.perSecond!.map((x) => x.offered);
    assert.ok(Math.abs(offered[0]! - 500) <= 2 && Math.abs(offered[1]! - 2000) <= 2, JSON.stringify(offered));
  });

  test('settings the open model cannot take together are refused before anything starts (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--rate', '1000', '--stages', '1s:1000'], /--stages cannot be combined with rate: the stages set the rate/],
      [
        ['--rate', '1000', '--find-capacity', 'p99<5ms'],
        /--find-capacity cannot be combined with rate: the search chooses the rates/,
      ],
      [['--arrivals', 'poisson'], /--arrivals applies only to the open model: give rate, stages or findCapacity too/],
      [
        ['--stages', '1s:fast'],
        /--stages must be <duration>:<requests per second> stages such as 10s:1000,30s:50000; "1s:fast" is not one/,
      ],
      [['--find-capacity', 'rps>10'], /"rps>10" is no SLO: rps is what the search finds/],
      [['--find-capacity', 'p99<5ms', '--load', 'wrk'], /load generator "wrk" cannot honour --find-capacity p99<5ms/],
      [['--find-capacity', 'p99<5ms', '--shard', '1/2'], /--find-capacity cannot run sharded/],
    ];
    // Side by side: each is refused before anything starts (most of the time is the CLI starting).
    await Promise.all(
      cases.map(async ([args, message]) => {
        const r = await iobench(['run', '--server', 'epoll', ...args, '--out', join(await tempDir(), 'out')]);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message, args.join(' '));
      }),
    );
  });
});

describe('iobench run --find-capacity', () => {
  test('finds the knee of a server with a known service time, keeps every probe, and prints the answer with its interval', async () => {
    const out = await tempDir();
    // A 500 µs handler on one loop saturates near 1e6 / (500 + its own few µs) ≈ 1,950 req/s.
    const r = await iobench(
      [
        'run',
        '--server',
        'epoll',
        '--work',
        'cpu:500',
        '--find-capacity',
        'p99<50ms',
        // 2 s: each phase starts a fresh generator thread, whose first moments run cold and send late.
        '--probe-duration',
        '2s',
        '--warmup',
        '500ms',
        '--capacity-rounds',
        '1',
        // The server's spin and the generator each on a core of their own: a late send is then the
        // generator's, not a spinning handler's.
        '--server-cpus',
        '0',
        '--load-cpus',
        '1',
        '--out',
        out,
        '--force',
      ],
      { timeoutMs: 180_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /find capacity at p99<50ms; probes of 2s after a 500ms warm-up, poisson arrivals, 1 refinement round/,
    );
    const file = await results(out);
    const [capacity] = file.capacity!;
    assert.equal(capacity!.outcome, 'found', capacity!.summary);
    // Against theory (issue 17, item 6): one loop serving each request in s µs saturates at 1e6/s, s
    // the server's CPU per request in the closed-model probe (the handler's 500 µs plus the loop's
    // own cost). Loose on purpose — never above by more than 20%, below it down to half: on a shared
    // VM probes fail by the generator's own jitter; benchmarks/capacity.mjs holds ±10%.
    const serviceUs = file.points[0]!.serverStats!.cpuUsPerRequest;
    const predicted = saturationRate(serviceUs);
    const ratio = capacity!.rate! / predicted;
    assert.ok(
      ratio > 0.5 && ratio < 1.2,
      `${capacity!.summary}; predicted ${Math.round(predicted)} (s ${serviceUs} µs)`,
    );
    assert.ok(capacity!.low! <= capacity!.rate! && capacity!.rate! <= capacity!.high!);
    assert.equal(capacity!.estimates.length, 1);
    assert.match(
      r.stdout,
      new RegExp(`epoll/native/c64: ${capacity!.rate!.toLocaleString('en-US')} req/s at p99<50ms \\(`),
    );
    // Every probe is a point, judged; the first measures the closed-model ceiling.
    assert.equal(file.points.length, capacity!.probes);
    assert.equal(file.points[0]!.capacityProbe!.phase, 'saturation');
    assert.equal(file.points[0]!.params.rate, undefined);
    for (const p of file.points.slice(1)) {
      assert.equal(p.params.arrivals, 'poisson');
      assert.ok(p.schedule?.sendLagUs, `${p.id} carries its send lag`);
      assert.equal(typeof p.capacityProbe!.pass, 'boolean');
    }
    assert.ok(file.points.some((p) => p.capacityProbe!.pass) && file.points.some((p) => !p.capacityProbe!.pass));
  });

  test('Ctrl-C mid-search keeps the probes so far, prints the bracket known so far, exits 130 and leaves no server behind', async () => {
    const out = await tempDir();
    const run = iobench([
      'run',
      '--server',
      'epoll',
      '--work',
      'cpu:200',
      '--connections',
      '4',
      '--find-capacity',
      'p99<20ms',
      '--probe-duration',
      '500ms',
      '--warmup',
      '0',
      '--out',
      out,
    ]);
    // Two probes kept (the closed-model ceiling, then the first rate, judged at once at the ceiling):
    // the bracket has an end, and the search is still probing.
    let kept = 0;
    for (let i = 0; i < 300 && kept < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      kept = (await results(out).catch(() => undefined))?.points.length ?? 0;
    }
    assert.ok(kept >= 2, 'two probes finished');
    const hosts = serverHostsOf(run.child.pid!);
    run.child.kill('SIGINT');
    const r = await run;
    assert.equal(r.code, 130, r.stderr);
    const saved = await results(out);
    assert.equal(saved.status, 'interrupted');
    const [search] = saved.capacity!;
    assert.equal(search!.outcome, 'interrupted');
    assert.equal(search!.probes, saved.points.length, 'every probe counted is kept');
    assert.ok(
      saved.points.every((p) => p.status === 'ok' && p.capacityProbe),
      'only finished probes are kept',
    );
    // The bracket is what the kept probes say: a rate that passed below, one that failed above.
    const { highestPassRps, lowestFailRps } = search!.bracket!;
    const rates = (pass: boolean) =>
      saved.points
        .filter((p) => p.params.rate !== undefined && p.capacityProbe!.pass === pass)
        .map((p) => p.params.rate);
    if (highestPassRps !== undefined) assert.ok(rates(true).includes(highestPassRps), `${highestPassRps} passed`);
    if (lowestFailRps !== undefined) assert.ok(rates(false).includes(lowestFailRps), `${lowestFailRps} failed`);
    assert.ok(highestPassRps !== undefined || lowestFailRps !== undefined, JSON.stringify(search));
    assert.match(
      r.stdout,
      new RegExp(
        `^epoll/native/c4: capacity (between [\\d,]+ and [\\d,]+|below [\\d,]+|at least [\\d,]+) req/s at p99<20ms, search interrupted after ${saved.points.length} probe\\(s\\)`,
        'm',
      ),
    );
    assert.match(
      r.stderr,
      new RegExp(`run interrupted; ${saved.points.length} probe\\(s\\) of 1 capacity search\\(es\\) kept in `),
    );
    assert.deepEqual(hosts.filter(isRunning), [], 'no server host outlives the run');
  });
});
