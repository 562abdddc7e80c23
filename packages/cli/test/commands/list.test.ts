import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { iobench } from '../helpers.js';

describe('iobench list', () => {
  test('lists built-in plugins with options and defaults from their schemas', async () => {
    const r = await iobench(['list']);
    assert.equal(r.code, 0, r.stderr);
    for (const name of ['node', 'undici', 'console', 'json']) assert.match(r.stdout, new RegExp(`\\n  ${name} — `));
    assert.match(r.stdout, /SERVER PLUGINS/);
    assert.match(r.stdout, /bodySize\s+integer.*\s13\s/);
  });

  test('--json gives kinds, names and option defaults', async () => {
    const r = await iobench(['list', '--kind', 'reporter', '--json']);
    const list = JSON.parse(r.stdout) as Array<{
      kind: string;
      name: string;
      options: Array<{ name: string; default?: unknown }>;
    }>;
    assert.ok(list.every((p) => p.kind === 'reporter'));
    const json = list.find((p) => p.name === 'json');
    assert.deepEqual(json?.options.find((o) => o.name === 'pretty')?.default, true);
  });
});

describe('iobench doctor', () => {
  test('reports each check with a status', async () => {
    const r = await iobench(['doctor', '--json']);
    const checks = JSON.parse(r.stdout) as Array<{ name: string; status: string }>;
    const names = checks.map((c) => c.name);
    for (const n of ['node', 'wrk', 'perf', 'open files (ulimit -n)', 'CPUs']) assert.ok(names.includes(n), n);
    assert.equal(checks.find((c) => c.name === 'node')?.status, 'ok');
  });
});
