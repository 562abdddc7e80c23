// k6-style thresholds on iobench's own numbers: issue 11.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { iobench, projectWith, tempDir } from '../helpers.js';

const SHORT = ['--server', 'node', '--connections', '2', '--duration', '300ms', '--warmup', '0'];

describe('iobench run --threshold', () => {
  test('a failed threshold: a column in the table, each check in results.json, a summary and exit 1', async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      ...SHORT,
      '--threshold',
      'p99<10s',
      '--threshold',
      'rps>100000000,errors<0.1%',
      '--out',
      out,
      '--force',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /\bthresholds\n/, 'a thresholds column');
    assert.match(r.stdout, /node\s+native\s+2\s+.*FAIL rps>100000000\n/);
    assert.match(
      r.stderr,
      /thresholds: 1 of 3 checks failed on 1 of 1 point\(s\):\n {2}node\/native\/c2\/r0: rps>100000000, was [\d,]+\n/,
    );
    const saved = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(saved.status, 'complete', 'the run itself completed');
    assert.deepEqual(saved.plan.thresholds, ['p99<10s', 'rps>100000000', 'errors<0.1%']);
    const checks = saved.points[0]?.thresholds ?? [];
    assert.deepEqual(
      checks.map((c) => [c.threshold, c.metric, c.limit, c.pass]),
      [
        ['p99<10s', 'p99', 10_000_000, true],
        ['rps>100000000', 'rps', 100_000_000, false],
        ['errors<0.1%', 'errorRate', 0.1, true],
      ],
    );
    assert.equal(checks[1]?.value, saved.points[0]?.rps);
  });

  test('thresholds from .iobenchrc pass: --json carries the checks, the exit code is 0', async () => {
    const cwd = await projectWith({ '.iobenchrc': 'thresholds: ["p99.9<10s", "errors<=1000"]\n' });
    const r = await iobench(['run', ...SHORT, '--json', '--out', join(await tempDir(), 'out')], { cwd });
    assert.equal(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as ResultsFile;
    assert.deepEqual(
      printed.points[0]?.thresholds?.map((c) => [c.threshold, c.pass]),
      [
        ['p99.9<10s', true],
        ['errors<=1000', true],
      ],
    );
  });

  test('a threshold that does not parse names it, what was expected and what was received (exit 2)', async () => {
    const out = join(await tempDir(), 'out');
    const r = await iobench(['run', ...SHORT, '--threshold', 'p99<10', '--threshold', 'p97<1ms', '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(
      r.stderr.includes('--threshold "p99<10": expected a latency with a unit, us, ms or s, e.g. 10ms, received "10"'),
      r.stderr,
    );
    assert.match(r.stderr, /--threshold "p97<1ms": expected a metric: p50, .*, received "p97"/);
    assert.equal(existsSync(out), false, 'refused before anything ran');
  });
});
