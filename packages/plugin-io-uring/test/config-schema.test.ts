/**
 * Regression (issue #20): a container build hides io_uring (the default seccomp profiles of Docker
 * and podman), the io-uring module refuses to load there, and write-config-schema, run by `npm ci`'s
 * `prepare`, failed the build. The config's JSON Schema must not depend on the machine that builds
 * it: with io_uring_setup failing (strace injects ENOSYS, as seccomp does) it is the same file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { testTempDir } from '@iobench/core/testing';

const SCRIPT = new URL('../../../scripts/write-config-schema.mjs', import.meta.url).pathname;

const strace = spawnSync('strace', [
  '-f',
  '--seccomp-bpf',
  '-o',
  '/dev/null',
  '-e',
  'inject=io_uring_setup:error=ENOSYS',
  'true',
]);
const noInjection =
  strace.error !== undefined || strace.status !== 0 ? 'strace with --seccomp-bpf and inject= is needed' : false;

test('write-config-schema writes the same schema, io-uring options included, where io_uring is hidden', {
  skip: noInjection,
}, async () => {
  const dir = await testTempDir('iobench-schema-');
  const plain = spawnSync(process.execPath, [SCRIPT, join(dir, 'plain.json')], { encoding: 'utf8' });
  assert.equal(plain.status, 0, plain.stderr);
  const hidden = spawnSync(
    'strace',
    [
      '-f',
      '--seccomp-bpf',
      '-o',
      '/dev/null',
      '-e',
      'inject=io_uring_setup:error=ENOSYS',
      process.execPath,
      SCRIPT,
      join(dir, 'hidden.json'),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(hidden.status, 0, `a kernel without io_uring fails the build: ${hidden.stderr}`);
  const [a, b] = await Promise.all([
    readFile(join(dir, 'plain.json'), 'utf8'),
    readFile(join(dir, 'hidden.json'), 'utf8'),
  ]);
  assert.equal(b, a);
  const schema = JSON.parse(b);
  assert.equal(schema.properties.serverOptions.properties['io-uring'].properties.multishot.type, 'boolean');
});
