// The live view (issue 11): on a terminal, a line a second with req/s, p50, p99 and errors; nothing
// of it when stderr is not a terminal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { requireTool } from '@iobench/core/testing';
import { BIN, iobench, tempDir } from '../helpers.js';

const RUN = ['run', '--server', 'node', '--connections', '2', '--duration', '2.2', '--warmup', '0', '--force'];

describe('iobench run: the live view', () => {
  test('on a terminal, every second shows req/s, p50, p99 and errors of the point', {
    skip: requireTool('script'),
  }, async () => {
    const out = await tempDir();
    // script(1) gives the CLI a pseudo-terminal, as a user's shell would.
    const command = [process.execPath, BIN, ...RUN, '--out', out].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stdout);
    const live = r.stdout.split('\r').filter((line) => line.includes('req/s  p50'));
    assert.ok(live.length >= 2, `live lines: ${JSON.stringify(live)}`);
    assert.match(
      live[0]!,
      /\[1\/1\] node\/native\/c2\/r0 {2}1s\/2s {2}[\d,]+ req\/s {2}p50 [\d.]+(µs|ms) {2}p99 [\d.]+(µs|ms) {2}0 errors/,
    );
  });

  test('off a terminal, no live view', async () => {
    const r = await iobench([...RUN, '--out', await tempDir()]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr + r.stdout, /req\/s {2}p50/);
    assert.ok(!(r.stderr + r.stdout).includes('\x1b[2K'), 'no line redrawn');
  });
});
