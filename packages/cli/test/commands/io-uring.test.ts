import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { BIN, iobench, tempDir } from '../helpers.js';

async function results(out: string): Promise<ResultsFile> {
  return JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
}

/**
 * Runs the CLI with io_uring_setup failing as it does under a container's seccomp filter (EPERM) or
 * on a kernel without io_uring (ENOSYS): strace injects the error, everything else runs untouched.
 */
function withoutIoUring(
  errno: 'EPERM' | 'ENOSYS',
  args: string[],
): { code: number | null; stdout: string; stderr: string } {
  const inject = ['-f', '--seccomp-bpf', '-o', '/dev/null', '-e', 'trace=io_uring_setup'];
  const r = spawnSync(
    'strace',
    [...inject, '-e', `inject=io_uring_setup:error=${errno}`, process.execPath, BIN, ...args],
    {
      cwd: tmpdir(),
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const strace = spawnSync('strace', [
  '-f',
  '--seccomp-bpf',
  '-o',
  '/dev/null',
  '-e',
  'inject=io_uring_setup:error=EPERM',
  'true',
]);
const noInjection =
  strace.error !== undefined || strace.status !== 0 ? 'strace with --seccomp-bpf and inject= is needed' : false;

describe('io_uring availability in list and doctor', () => {
  test('where io_uring works, list shows the io-uring server and doctor says it is available', async (t) => {
    const doctor = await iobench(['doctor', '--json']);
    const check = (JSON.parse(doctor.stdout) as Array<{ name: string; status: string; detail: string }>).find(
      (c) => c.name === 'io_uring',
    );
    assert.ok(check, 'doctor has an io_uring check');
    if (check.status !== 'ok') return t.skip(`io_uring unavailable here: ${check.detail}`);
    assert.match(check.detail, /io-uring server available/);
    const list = await iobench(['list', '--kind', 'server']);
    assert.match(list.stdout, /\n {2}io-uring — .*io_uring/);
    assert.match(list.stdout, /multishot\s+boolean\s+true/);
    // The native generator's default engine, auto, runs the closed model on io_uring here and the
    // open model on epoll (its tighter send timing), and says which in the results.
    const out = await tempDir();
    const run = await iobench(['run', '-s', 'epoll', '-d', '200ms', '--warmup', '0', '-c', '2', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await results(out)).points[0]!.loadStats.ioEngine, 'io_uring');
    const open = await iobench([
      'run',
      '-s',
      'epoll',
      '-d',
      '200ms',
      '--warmup',
      '0',
      '-c',
      '2',
      '-R',
      '200',
      '--out',
      out,
      '--force',
    ]);
    assert.equal(open.code, 0, open.stderr);
    assert.equal((await results(out)).points[0]!.loadStats.ioEngine, 'epoll');
  });

  test('refused by seccomp (io_uring_setup -> EPERM): list and run name the reason, doctor warns with the fix', {
    skip: noInjection,
  }, () => {
    const list = withoutIoUring('EPERM', ['list', '--kind', 'server']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stderr, /built-in plugin "io-uring" is unavailable: .*io_uring_setup was refused .*seccomp/);
    assert.doesNotMatch(list.stdout, /\n {2}io-uring — /);
    assert.match(list.stdout, /\n {2}epoll — /, 'the other servers are still listed');
    const doctor = withoutIoUring('EPERM', ['doctor', '--json']);
    const check = (
      JSON.parse(doctor.stdout) as Array<{ name: string; status: string; detail: string; fix: string }>
    ).find((c) => c.name === 'io_uring');
    assert.equal(check?.status, 'warn');
    assert.match(check!.detail, /io-uring server unavailable, and the native generator runs on epoll: .*seccomp/);
    assert.match(check!.fix, /seccomp profile that allows io_uring_setup/);
    const run = withoutIoUring('EPERM', ['run', '--server', 'io-uring', '--duration', '1s']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /io_uring is unavailable: io_uring_setup was refused/);
  });

  test('the default run leaves io-uring out, saying why, where io_uring is disabled', {
    skip: noInjection,
  }, async () => {
    const out = await tempDir();
    const run = withoutIoUring('EPERM', [
      'run',
      '--duration',
      '200ms',
      '--warmup',
      '0',
      '--connections',
      '2',
      '--force',
      '--out',
      out,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /leaving out the default server "io-uring": .*io_uring is unavailable/);
    assert.match(run.stdout, /\nepoll-thread\s+native\s+/, 'the other default servers ran');
    assert.doesNotMatch(run.stdout, /\nio-uring\s+native/);
    // The native generator fell back from io_uring to epoll, and every point says so.
    const engines = new Set((await results(out)).points.map((p) => p.loadStats.ioEngine));
    assert.deepEqual([...engines], ['epoll']);
  });

  test('refused by seccomp: the native generator run with engine=io_uring is refused with the reason', {
    skip: noInjection,
  }, async () => {
    const out = await tempDir();
    const run = withoutIoUring('EPERM', [
      'run',
      '-s',
      'epoll',
      '--load-opt',
      'engine=io_uring',
      '-d',
      '200ms',
      '-o',
      out,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /engine=io_uring cannot run here: .*seccomp/);
    assert.match(run.stderr, /leave engine at its default, auto/);
  });

  test('a kernel without io_uring (ENOSYS) is named as such', { skip: noInjection }, () => {
    const list = withoutIoUring('ENOSYS', ['list', '--kind', 'server']);
    assert.match(list.stderr, /"io-uring" is unavailable: .*ENOSYS: the kernel has no io_uring/);
  });
});
