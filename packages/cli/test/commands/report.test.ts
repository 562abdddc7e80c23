import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { iobench, tempDir } from '../helpers.js';

describe('iobench report', () => {
  test('re-renders a saved results file as a table, and as JSON', async () => {
    const out = await tempDir();
    const run = await iobench([
      'run',
      '--server',
      'node',
      '--connections',
      '2',
      '--duration',
      '500ms',
      '--warmup',
      '0',
      '--out',
      out,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const file = join(out, 'results.json');
    const r = await iobench(['report', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /node\s+undici\s+2\s+[\d,]+/);
    const j = await iobench(['report', file, '--json']);
    assert.deepEqual(JSON.parse(j.stdout), JSON.parse(await readFile(file, 'utf8')));
  });

  test('a corrupt or missing results file is a clear error (exit 2)', async () => {
    const dir = await tempDir();
    const bad = join(dir, 'results.json');
    await writeFile(bad, '{"schemaVersion": 1, "points": [');
    const r = await iobench(['report', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /results file .*results\.json is not valid JSON/);
    const missing = await iobench(['report', join(dir, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read results file .*nope\.json: no such file/);
  });
});
