// test-lane: unit (300 ms runs whose plan is read, no speed judged).
// What a wrk or k6 user expects of a plan: issue 11 (loads as a plan axis, durations in seconds).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { iobench, tempDir } from '../helpers.js';

describe('iobench run: the plan', () => {
  test('--load native,undici measures the server under each generator; a bare --duration is seconds, and the plan line says so', async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--server',
      'node',
      '--load',
      'native,undici',
      '--connections',
      '2',
      '--duration',
      '0.3',
      '--warmup',
      '0',
      '--out',
      out,
      '--force',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^iobench: server node; load native, undici; duration 300ms, warm-up none; 2 point\(s\)$/m);
    assert.match(r.stdout, /node\s+native\s+2\s+[\d,]+/);
    assert.match(r.stdout, /node\s+undici\s+2\s+[\d,]+/);
    const saved = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.deepEqual(
      saved.points.map((p) => [p.id, p.load]),
      [
        ['node/native/c2/r0', 'native'],
        ['node/undici/c2/r0', 'undici'],
      ],
    );
    assert.deepEqual(saved.plan.loads, ['native', 'undici']);
    assert.equal(saved.plan.durationMs, 300);
  });

  test('an unknown load in a list is named alone, not as the whole list', async () => {
    const r = await iobench([
      'run',
      '--server',
      'node',
      '--load',
      'undici,wrkk',
      '--out',
      join(await tempDir(), 'out'),
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /unknown load plugin "wrkk"/);
    assert.doesNotMatch(r.stderr, /undici,wrkk/);
  });
});
