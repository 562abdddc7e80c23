import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { requireTool } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

// The blocking server with keep-alive serves one connection until it closes; the others starve.
// iobench must show it whichever generator drives the load.
describe('starvation of the blocking keep-alive server shows in the results', () => {
  test('with undici: per-connection counts show the starved connections', async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--server',
      'basic',
      '--server-opt',
      'keepAlive=true',
      '--connections',
      '8',
      '--duration',
      '1s',
      '--warmup',
      '0',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [point] = (JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile).points;
    assert.ok(point?.perConnection, 'per-connection counts recorded');
    assert.ok(point.perConnection.starved >= 7, `starved ${point.perConnection.starved} of 8`);
    assert.match(r.stdout, /7 of 8 connections completed no request \(starved\)/);
  });

  test('with wrk: the server accepted fewer connections than wrk held open', {
    skip: requireTool('wrk'),
  }, async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--server',
      'basic',
      '--server-opt',
      'keepAlive=true',
      '--load',
      'wrk',
      '--connections',
      '8',
      '--duration',
      '1s',
      '--warmup',
      '0',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [point] = (JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile).points;
    const accepted = point?.serverStats?.acceptedFirstHalf;
    assert.ok(accepted !== undefined && accepted < 8, `accepted in the first half: ${accepted}`);
    assert.match(r.stdout, /the server accepted only \d connection\(s\) .* the rest waited \(starved\)/);
  });
});
