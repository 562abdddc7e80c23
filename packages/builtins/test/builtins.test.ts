import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_PLUGINS, builtinNames, createRegistry, DEFAULT_PLAN } from '@iobench/builtins';

test('every built-in name resolves to the plugin of that name in its package', async () => {
  const registry = createRegistry();
  const found = await registry.available();
  for (const [name, { kind, module }] of Object.entries(BUILTIN_PLUGINS)) {
    const entry = found.find((p) => p.plugin.name === name);
    assert.ok(entry, `${name} is available`);
    assert.match(
      entry.moduleUrl,
      new RegExp(`/${module.replace('@iobench/', '').split('/')[0]}/`),
      `${name} comes from ${module}`,
    );
    assert.equal(entry.plugin.kind, kind, `${name}'s kind`);
  }
  assert.deepEqual(builtinNames('load'), ['native', 'undici', 'wrk']);
  assert.ok(builtinNames('reporter').includes('console'), 'the stdout reporters are choices too');
  assert.deepEqual(registry.unavailable(), []);
});

test('the default plan names built-in servers and a built-in load', async () => {
  const registry = createRegistry();
  for (const name of DEFAULT_PLAN.server) assert.equal((await registry.resolve('server', name)).plugin.name, name);
  assert.equal((await registry.resolve('load', DEFAULT_PLAN.load)).plugin.name, DEFAULT_PLAN.load);
});

test('every built-in server declares the common options it takes', async () => {
  const registry = createRegistry();
  for (const { plugin } of await registry.available('server')) {
    assert.ok(plugin.kind === 'server');
    assert.deepEqual([...(plugin.commonOptions ?? [])].sort(), ['bodySize', 'host', 'keepAlive', 'port', 'work']);
  }
});
