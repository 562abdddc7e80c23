// test-lane: unit (options are refused before anything starts).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES, iobench, projectWith, tempDir } from '../helpers.js';

// `throwing` declares no common options, and throws if it is ever started: a refusal that comes
// from it would read "failed to start" (exit 1), so exit 2 with the setting named proves that
// nothing started.
const config = `plugins: [${JSON.stringify(join(FIXTURES, 'failing-plugins.mjs'))}]\n`;

describe('common server options', () => {
  test('a --body-size sweep on a server that does not declare bodySize is refused before anything starts (exit 2)', async () => {
    const cwd = await projectWith({ '.iobenchrc': config });
    const out = join(await tempDir(), 'out');
    const r = await iobench(['run', '--server', 'throwing', '--body-size', '0,1024', '--out', out], { cwd });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /--body-size sets the common server option "bodySize" \(0\), which server "throwing" does not declare/,
    );
    assert.match(
      r.stderr,
      /hint: Leave "throwing" out of this run, or set its own options with --server-opt throwing\./,
    );
    assert.equal(existsSync(out), false, 'no output directory');
  });

  test('serve --port on a server that does not declare port is refused (exit 2)', async () => {
    const cwd = await projectWith({ '.iobenchrc': config });
    const r = await iobench(['serve', '--server', 'throwing', '--port', '0'], { cwd });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /--port sets the common server option "port" \(0\), which server "throwing" does not declare/,
    );
  });
});
