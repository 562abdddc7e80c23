// test-lane: unit (lists plugins; nothing is run).
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

  test('fits 80 columns off a terminal, descriptions wrapped in their column or under their option; --wide keeps one line per option', async () => {
    const r = await iobench(['list']);
    const widest = Math.max(...r.stdout.split('\n').map((line) => line.length));
    assert.ok(widest <= 80, `a line of ${widest} columns`);
    // basic's columns leave too little room: its descriptions go under their option.
    assert.match(r.stdout, /\n {4}bodySize +integer 0\.\. +13\n {6}response body size in bytes; 13 is "Hello, world!"/);
    // undici's leave enough: they wrap inside the column.
    assert.match(
      r.stdout,
      /\n {4}localAddress +string +Source address of every connection\n {46}\(bind before connect\)\n/,
    );
    const wide = await iobench(['list', '--wide']);
    assert.match(
      wide.stdout,
      /\n {4}bodySize +integer 0\.\. +13 +response body size in bytes; 13 is "Hello, world!", larger repeats it\n/,
    );
    assert.ok(Math.max(...wide.stdout.split('\n').map((line) => line.length)) > 80);
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
