import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { PluginNotFoundError, PluginOptionsError, validatePluginOptions } from '@iobench/core';
import { testTempDir } from '@iobench/core/testing';
import { PluginRegistry } from '@iobench/engine/plugin';

const FIXTURES = new URL('../../test/fixtures/', import.meta.url).pathname;

/** A registry that knows the stdout reporters, registered the way the built-ins are. */
const withReporters = (baseDir?: string) => {
  const stdout = import.meta.resolve('@iobench/plugin-reporters/stdout');
  return new PluginRegistry(baseDir).register('console', stdout).register('json', stdout);
};

/** Source of a minimal reporter plugin named `name`, for modules written by the tests. */
const reporterSource = (name: string) =>
  `{ kind: 'reporter', name: '${name}', description: 'd', options: { '~standard': { version: 1, vendor: 'x', validate: (v) => ({ value: v }) } }, create: () => ({}) }`;

describe('PluginRegistry', () => {
  test('registered reporters resolve by name', async () => {
    const { plugin } = await withReporters().resolve('reporter', 'console');
    assert.equal(plugin.name, 'console');
  });

  test('plugins listed under plugins: resolve by their names, relative to the config directory', async () => {
    const registry = new PluginRegistry(FIXTURES);
    await registry.addModules(['./test-plugins.ts']);
    const { plugin, moduleUrl } = await registry.resolve('server', 'fixture-server');
    assert.equal(plugin.kind, 'server');
    assert.match(moduleUrl, /^file:.*test-plugins\.ts$/);
  });

  test('a plugin can be named by path', async () => {
    const dir = await testTempDir('iobench-plugin-');
    const file = join(dir, 'my-reporter.mjs');
    await writeFile(
      file,
      `export default { kind: 'reporter', name: 'mine', description: 'd', options: { '~standard': { version: 1, vendor: 'x', validate: (v) => ({ value: v }) } }, create: () => ({}) };`,
    );
    const { plugin } = await new PluginRegistry(dir).resolve('reporter', './my-reporter.mjs');
    assert.equal(plugin.name, 'mine');
  });

  test('a plugin package in the project’s node_modules is found by name from below the project root', async () => {
    const project = await testTempDir('iobench-plugin-');
    const pkg = join(project, 'node_modules', 'iobench-plugin-local');
    await mkdir(pkg, { recursive: true });
    await mkdir(join(project, 'bench'));
    await writeFile(join(project, 'package.json'), '{"name":"project"}');
    await writeFile(join(pkg, 'package.json'), '{"name":"iobench-plugin-local","main":"index.mjs"}');
    await writeFile(
      join(pkg, 'index.mjs'),
      `export default { kind: 'reporter', name: 'local', description: 'd', options: { '~standard': { version: 1, vendor: 'x', validate: (v) => ({ value: v }) } }, create: () => ({}) };`,
    );
    const { moduleUrl } = await new PluginRegistry(join(project, 'bench')).resolve('reporter', 'local');
    assert.match(moduleUrl, /node_modules\/iobench-plugin-local\/index\.mjs$/);
  });

  test('a third-party plugin package under the @iobench/plugin-<name> convention is found by name', async () => {
    const project = await testTempDir('iobench-plugin-');
    const pkg = join(project, 'node_modules', '@iobench', 'plugin-scoped');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(project, 'package.json'), '{"name":"project"}');
    await writeFile(join(pkg, 'package.json'), '{"name":"@iobench/plugin-scoped","main":"index.mjs"}');
    await writeFile(join(pkg, 'index.mjs'), `export default ${reporterSource('scoped')};`);
    const { plugin, moduleUrl } = await new PluginRegistry(project).resolve('reporter', 'scoped');
    assert.equal(plugin.name, 'scoped');
    assert.match(moduleUrl, /node_modules\/@iobench\/plugin-scoped\/index\.mjs$/);
  });

  test('registered plugins resolve by name from their module, load on first use and are listed', async () => {
    const dir = await testTempDir('iobench-plugin-');
    const file = join(dir, 'two.mjs');
    await writeFile(file, `export default [${reporterSource('one')}, ${reporterSource('two')}];`);
    const registry = withReporters(dir).register('two', pathToFileURL(file));
    const { plugin, moduleUrl } = await registry.resolve('reporter', 'two');
    assert.equal(plugin.name, 'two');
    assert.equal(moduleUrl, pathToFileURL(file).href);
    assert.deepEqual(
      (await registry.available('reporter')).map((p) => p.plugin.name).sort(),
      ['console', 'json', 'two'],
      'the registered one beside the other registered reporters, and not the module’s other plugin',
    );
  });

  test('a registered module that fails to load is left out of available() and listed by unavailable()', async () => {
    const dir = await testTempDir('iobench-plugin-');
    const registry = withReporters(dir).register('broken', pathToFileURL(join(dir, 'missing.mjs')));
    assert.deepEqual((await registry.available()).map((p) => p.plugin.name).sort(), ['console', 'json']);
    assert.deepEqual(
      registry.unavailable().map((u) => u.name),
      ['broken'],
    );
    await assert.rejects(registry.resolve('server', 'broken'), /plugin module "broken" failed to load/);
  });

  test('an unknown name lists the available plugins of that kind', async () => {
    await assert.rejects(withReporters().resolve('reporter', 'nope'), (err: unknown) => {
      assert.ok(err instanceof PluginNotFoundError);
      assert.match(err.message, /unknown reporter plugin "nope"; available: .*console.*json/);
      return true;
    });
  });

  test('a misspelt name says which plugin was meant, and does not suggest installing the typo', async () => {
    await assert.rejects(withReporters().resolve('reporter', 'consol'), (err: unknown) => {
      assert.ok(err instanceof PluginNotFoundError);
      assert.match(err.message, /^unknown reporter plugin "consol" \(did you mean "console"\?\); available: /);
      assert.doesNotMatch(err.suggestions.join('\n'), /Install/);
      return true;
    });
  });

  test('a plugin of the wrong kind is refused', async () => {
    await assert.rejects(
      withReporters().resolve('server', 'console'),
      /"console" is a reporter plugin, expected a server plugin/,
    );
  });

  test('a module that exports no plugin says what was expected', async () => {
    const dir = await testTempDir('iobench-plugin-');
    await writeFile(join(dir, 'empty.mjs'), 'export default 42;');
    const registry = new PluginRegistry(dir);
    await assert.rejects(
      registry.addModules(['./empty.mjs']),
      /does not default-export a plugin: expected an object with kind, name/,
    );
    await assert.rejects(registry.addModules(['./missing.mjs']), /failed to load/);
  });
});

describe('validatePluginOptions', () => {
  test('applies schema defaults and names the plugin, option and received value on error', async () => {
    const registry = new PluginRegistry(FIXTURES);
    await registry.addModules(['./test-plugins.ts']);
    const { plugin } = await registry.resolve('server', 'fixture-server');
    assert.deepEqual(await validatePluginOptions(plugin, {}), { port: 0, throwOnStart: false });
    await assert.rejects(validatePluginOptions(plugin, { port: 'eighty' }), (err: unknown) => {
      assert.ok(err instanceof PluginOptionsError);
      assert.match(err.message, /server plugin "fixture-server": option "port": expected number, received "eighty"/);
      return true;
    });
    await assert.rejects(
      validatePluginOptions(plugin, { portt: 80 }),
      /fixture-server.*option "portt" is not one of its options \(did you mean "port"\?\)/,
    );
  });
});
