import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { histogramCount, type ResultsFile } from '@iobench/core';
import { iobench, tempDir } from '../helpers.js';

describe('iobench run --shard / --start-at', () => {
  test('--shard /N takes the index from JOB_COMPLETION_INDEX, runs its share and records the shard and the totals', async () => {
    const out = join(await tempDir(), 'out');
    const r = await iobench(
      [
        'run',
        '--server',
        'node',
        '--connections',
        '4',
        '--requests',
        '101',
        '--duration',
        '1s',
        '--warmup',
        '0',
        '--shard',
        '/2',
        '--out',
        out,
      ],
      { env: { JOB_COMPLETION_INDEX: '1' } },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /shard 1\/2: connections 2 of 4, idle connections 0 of 0, requests 50 of 101/);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.deepEqual(results.shard, {
      index: 1,
      count: 2,
      totals: { connections: [4], idleConnections: [0], requests: 101 },
    });
    assert.deepEqual(results.plan.connections, [2]);
    assert.equal(results.points[0]!.requests, 50, 'the second shard takes 50 of the 101 requests');
    assert.ok(results.points[0]!.measuredStart?.at, 'the measured phase’s start is recorded');
  });

  test('two shards of a Poisson run given one --seed draw their own arrivals and merge into one point of their summed requests', async (t) => {
    let served = 0;
    const server = http.createServer((_req, res) => {
      served++;
      res.end('Hello, world!');
    });
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    t.after(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const dir = await tempDir();
    const shard = (i: number) =>
      iobench([
        'run',
        ...['--target', url, '--connections', '2', '--rate', '400', '--arrivals', 'poisson', '--seed', '7'],
        ...['--duration', '500ms', '--warmup', '0', '--shard', `${i}/2`, '--out', join(dir, `s${i}`)],
      ]);
    const runs = await Promise.all([shard(0), shard(1)]);
    for (const [i, r] of runs.entries()) assert.equal(r.code, 0, `shard ${i}: ${r.stderr}`);
    const files = [0, 1].map((i) => join(dir, `s${i}`, 'results.json'));
    const shards = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as ResultsFile));
    const seeds = shards.map((r) => r.points[0]!.params.seed);
    assert.equal(seeds[0], 7, 'shard 0 draws from the seed given');
    assert.ok(seeds[1] !== undefined && seeds[1] !== 7, `shard 1 draws from a seed of its own (got ${seeds[1]})`);

    const out = join(dir, 'merged');
    const merged = await iobench(['merge', ...files, '--out', out]);
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(merged.stderr, '', 'no warning: the shards drew independent arrivals');
    assert.match(merged.stdout, /merged 2 results files as 2 shards/);
    const whole = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(whole.points.length, 1);
    const point = whole.points[0]!;
    const sum = shards[0]!.points[0]!.requests + shards[1]!.points[0]!.requests;
    assert.ok(sum > 0, 'the shards measured requests');
    assert.equal(point.requests, sum, 'the merged point holds every request of both shards');
    assert.equal(histogramCount(point.latencyUs.hdr), sum);
    assert.ok(served >= sum, `the server served every request counted (${served} served, ${sum} counted)`);
    assert.deepEqual(
      [point.params.connections, point.params.rate, point.params.arrivals, point.params.seed],
      [2, 400, 'poisson', undefined],
    );
    assert.deepEqual(
      point.merge?.parts.map((p) => [p.shard, p.seed, p.requests]),
      shards.map((r, i) => [i, seeds[i], r.points[0]!.requests]),
      'each shard’s seed is kept',
    );
  });

  test('a shard that cannot be run and a --start-at that has passed are refused before anything starts (exit 2)', async () => {
    const run = (args: string[], env = {}) =>
      iobench(['run', '--target', 'http://127.0.0.1:1/', ...args], { env: { JOB_COMPLETION_INDEX: '', ...env } });
    const cases: Array<[string[], RegExp, object?]> = [
      [
        ['--shard', '0/100'],
        /connections 64 cannot be split into 100 shards \(each shard needs at least one connection\); use at most 64 shards/,
      ],
      [['--shard', 'auto/4'], /--shard auto\/4 takes this shard's index from JOB_COMPLETION_INDEX .*which is not set/],
      [
        ['--shard', '/4'],
        /JOB_COMPLETION_INDEX must be a whole number from 0 to 3 for --shard \/4 \(got "7"\)/,
        { JOB_COMPLETION_INDEX: '7' },
      ],
      [['--shard', '1-of-4'], /--shard expects i\/N \(e\.g\. 0\/4\), or auto\/N or \/N .*received "1-of-4"/],
      [['--start-at', '2020-01-01T00:00:00Z'], /--start-at 2020-01-01T00:00:00Z is in the past \(now /],
      [['--start-at', 'noon'], /--start-at expects an ISO 8601 time with a time zone, such as .*; received "noon"/],
    ];
    const results = await Promise.all(cases.map(([args, , env]) => run(args, env)));
    for (const [i, [args, message]] of cases.entries()) {
      assert.equal(results[i]!.code, 2, `${args.join(' ')}: ${results[i]!.stderr}`);
      assert.match(results[i]!.stderr, message);
    }
  });
});
