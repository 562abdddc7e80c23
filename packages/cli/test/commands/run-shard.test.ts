import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
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
