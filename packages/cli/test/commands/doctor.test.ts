// test-lane: unit (checks the machine; nothing is measured).
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { iobench, projectWith } from '../helpers.js';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

describe('iobench doctor', () => {
  test('checks wrk, perf, strace, namespaces, limits and CPUs, each with a status and a fix', async () => {
    const r = await iobench(['doctor', '--json']);
    const checks = JSON.parse(r.stdout) as Check[];
    const byName = new Map(checks.map((c) => [c.name, c]));
    for (const name of [
      'wrk',
      'perf',
      'strace',
      'network namespaces',
      'open files (ulimit -n)',
      'net.core.somaxconn',
      'CPUs',
    ]) {
      const check = byName.get(name);
      assert.ok(check, `missing check ${name}`);
      assert.ok(check.status === 'ok' || check.fix, `${name} is ${check.status} without a fix`);
    }
    assert.match(byName.get('CPUs')!.detail, /pinning|share a CPU|taskset/);
    assert.match(byName.get('perf')!.detail, /perf_event_paranoid|not found/);
    assert.equal(r.code, checks.some((c) => c.status === 'fail') ? 1 : 0);
  });

  test('limits are checked against the largest connection count of the config file', async () => {
    const dir = await projectWith({
      '.iobenchrc.json': JSON.stringify({ connections: [8, 2_000_000], idleConnections: 5 }),
    });
    const r = await iobench(['doctor', '--json'], { cwd: dir });
    const fd = (JSON.parse(r.stdout) as Check[]).find((c) => c.name === 'open files (ulimit -n)')!;
    assert.equal(fd.status, 'warn');
    assert.match(fd.detail, /2000005 connections \(.*\.iobenchrc\.json\) need 2000069 open files per process/);
  });

  test('run and doctor give the same open-files advice, with what to run (the issue: --connections 99999999)', async (t) => {
    const dir = await projectWith({ '.iobenchrc.json': JSON.stringify({ connections: 99_999_999 }) });
    t.after(() => rm(dir, { recursive: true, force: true }));
    const run = await iobench(['run', '--server', 'node', '--out', join(dir, 'out')], { cwd: dir });
    const doctor = await iobench(['doctor', '--json'], { cwd: dir });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /connections 99999999 need 100000063 open files per process/);
    const fd = (JSON.parse(doctor.stdout) as Check[]).find((c) => c.name === 'open files (ulimit -n)')!;
    assert.match(fd.detail, /99999999 connections .* need 100000063 open files per process/);
    assert.ok(fd.fix && run.stderr.includes(fd.fix), `doctor's fix "${fd.fix}" is not run's:\n${run.stderr}`);
    // Either the ulimit that is needed, or (past the kernel's cap) how many connections fit.
    assert.match(fd.fix, /ulimit -n 100000063\b|fs\.nr_open.*at most \d+ connections/);
  });
});
