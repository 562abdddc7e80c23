// README "Benchmark your own server", the line with repeats and thresholds (issue 19's done-when: a
// 404 target shows its status codes, `--repeat 3` reads as one row with a range): run as written,
// with fewer connections and no warm-up to keep the test short.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { helloServer, type TestServer } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

describe('iobench run URL --repeat 3 --threshold status2xx>99% (the README line)', () => {
  let server: TestServer;
  before(async () => {
    server = await helloServer(404);
  });
  after(() => server.close());

  test('a 404 target: one row for three repeats, its status codes, and the status threshold failing the run', async () => {
    const out = await tempDir();
    const r = await iobench(
      [
        'run',
        ...['-c', '2', '--warmup', '0', '--out', out],
        ...['-d', '1s', '--repeat', '3', '--threshold', 'status2xx>99%', '--threshold', 'p95<10ms', server.url],
      ],
      { timeoutMs: 90_000 },
    );
    assert.equal(r.code, 1, `a failed threshold exits 1\n${r.stdout}\n${r.stderr}`);
    const file = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(file.points.length, 3, 'three repeats measured');
    // One row in the table: the repeats column says 3, req/s reads `median (min–max)`.
    const rows = r.stdout.split('\n').filter((l) => /^target\s/.test(l));
    assert.equal(rows.length, 1, r.stdout);
    assert.match(rows[0]!, /\s3\s+[\d,]+ \([\d,]+–[\d,]+\)!?\s/);
    assert.match(rows[0]!, /FAIL status2xx>99%/);
    assert.match(r.stdout, /status 404×[\d,]+/);
    for (const p of file.points) assert.deepEqual(p.statusCodes, { '404': p.requests });
  });
});
