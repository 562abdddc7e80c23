// A run that measured nothing must not pass: issue 10, item 3.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { iobench, tempDir } from '../helpers.js';

const SHORT = ['--server', 'epoll', '--warmup', '0', '--connections', '4'];

describe('iobench run: a point that measures nothing', () => {
  test('--duration 5000 (seconds, since a bare number is seconds) is refused before anything starts, with the unit to write (exit 2)', async () => {
    const out = join(await tempDir(), 'out');
    const r = await iobench(['run', ...SHORT, '--duration', '5000', '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    // The flag, the maximum, how the value was read, the unit to write, and the value received.
    assert.match(
      r.stderr,
      /--duration must be at most 1h \(a bare number is seconds: 5000 is 5000s; for milliseconds write 5000ms\) \(got "5000"\)/,
    );
    assert.equal(existsSync(out), false, 'nothing was written');
  });

  test('--duration 0, -1 and 50ms are refused (exit 2)', async () => {
    for (const [duration, must] of [
      ['0', 'a positive duration, such as 500ms or 10s'],
      ['-1', 'a positive duration, such as 500ms or 10s'],
      ['50ms', 'at least 100ms'],
    ]) {
      const r = await iobench(['run', ...SHORT, `--duration=${duration}`, '--out', join(await tempDir(), 'out')]);
      assert.equal(r.code, 2, r.stderr);
      assert.ok(r.stderr.includes(`--duration must be ${must} (got "${duration}")`), r.stderr);
    }
  });

  test('a blocking server held by an idle connection completes no request: the point fails and says why (exit 1)', async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--server',
      'basic',
      '--load',
      'undici',
      '--idle-connections',
      '1',
      '--connections',
      '4',
      '--duration',
      '300ms',
      '--warmup',
      '0',
      '--out',
      out,
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /1 of 1 point\(s\) failed .*\n {2}basic\/undici\/c4\/r0: completed no request in 300ms \(4 of 4 connections starved; the server accepted [01] connection\(s\); 1 of 1 idle connection\(s\) held open\)/,
    );
    const saved = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(saved.status, 'failed', 'every point failed');
    const [point] = saved.points;
    assert.equal(point?.status, 'failed');
    assert.equal(point.error?.code, 'IOBENCH_POINT_EMPTY');
    assert.equal(point.loadStats.generatorBound, false, 'nothing measured, nothing to be generator-bound by');
    assert.doesNotMatch(r.stdout, /generator-bound/);
  });
});
