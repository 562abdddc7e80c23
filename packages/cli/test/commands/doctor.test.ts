import assert from 'node:assert/strict';
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
    assert.match(fd.detail, /2000005 connections \(.*\.iobenchrc\.json\)/);
    assert.match(fd.fix!, /ulimit -n 4000010/);
  });
});
