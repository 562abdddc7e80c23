import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifactStem } from '@iobench/core';
import { PERF_NODE_FLAGS } from './point-profiler.js';

test('a server host started for --profile perf leaves no isolate-*-v8.log in the working directory', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'iobench-perf-flags-'));
  try {
    // Two isolates, as a server host with a worker thread has: each used to write its own log here.
    const script =
      "const { Worker } = require('node:worker_threads'); new Worker('1', { eval: true }).on('exit', () => console.log(process.pid));";
    const child = spawnSync(process.execPath, [...PERF_NODE_FLAGS, '-e', script], { cwd, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    const pid = child.stdout.trim();
    assert.match(pid, /^\d+$/, 'nothing but the script’s own output on stdout (no V8 log there)');
    await rm(`/tmp/perf-${pid}.map`, { force: true });
    assert.deepEqual(await readdir(cwd), []);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
});

test('profile files are named after the point like every other artifact', () => {
  assert.equal(artifactStem('epoll/undici/c8/r0'), 'epoll-undici-c8-r0');
  assert.equal(artifactStem('epoll/wrk/c16/work-cpu:100/r1'), 'epoll-wrk-c16-work-cpu-100-r1');
  assert.equal(artifactStem('nginx 1.25/undici/c8/rate1000.5/r0'), 'nginx-1.25-undici-c8-rate1000.5-r0');
});
