import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, configJsonSchema, loadConfig } from '@iobench/core';

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iobench-config-'));
  await writeFile(join(dir, 'package.json'), '{"name":"x"}');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('loadConfig', () => {
  test('schema defaults apply when nothing is configured', async () => {
    const { config, filePath } = await loadConfig({ cwd: await dirWith({}), env: {} });
    assert.equal(filePath, undefined);
    assert.equal(config.load, 'undici');
    assert.deepEqual(config.connections, [64]);
    assert.equal(config.duration, 5000);
    assert.ok(config.server.includes('epoll-pool'));
  });

  test('precedence: defaults < config file < IOBENCH_* environment < flags', async () => {
    const cwd = await dirWith({
      '.iobenchrc': JSON.stringify({ duration: '3s', connections: 16, load: 'wrk', threads: 2 }),
    });
    const { config, filePath } = await loadConfig({
      cwd,
      env: { IOBENCH_CONNECTIONS: '32,64', IOBENCH_LOAD: 'undici' },
      flags: { load: 'fixture' },
    });
    assert.equal(filePath, join(cwd, '.iobenchrc'));
    assert.equal(config.duration, 3000, 'file beats default');
    assert.deepEqual(config.threads, [2], 'file beats default');
    assert.deepEqual(config.connections, [32, 64], 'env beats file; lists split on commas');
    assert.equal(config.load, 'fixture', 'flags beat env');
    assert.equal(config.warmup, 1000, 'default kept');
  });

  test('YAML config files and per-plugin options merge across layers', async () => {
    const cwd = await dirWith({
      '.iobenchrc.yaml': 'server: [epoll]\nserverOptions:\n  epoll:\n    edgeTriggered: true\n',
    });
    const { config } = await loadConfig({ cwd, env: {}, flags: { serverOptions: { epoll: { bodySize: 1024 } } } });
    assert.deepEqual(config.server, ['epoll']);
    assert.deepEqual(config.serverOptions, { epoll: { edgeTriggered: true, bodySize: 1024 } });
  });

  test('an invalid value names the key path, the source and the received value', async () => {
    const cwd = await dirWith({ '.iobenchrc.json': JSON.stringify({ connections: [8, -4], duration: 'soon' }) });
    await assert.rejects(loadConfig({ cwd, env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /\.iobenchrc\.json: "connections\.1": .*received -4/);
      assert.match(err.message, /"duration": duration must be a duration such as 500ms.*received "soon"/);
      return true;
    });
  });

  test('unknown keys are rejected, by name', async () => {
    const cwd = await dirWith({ '.iobenchrc': JSON.stringify({ conections: 8 }) });
    await assert.rejects(loadConfig({ cwd, env: {} }), /unknown key "conections"/);
  });

  test('a bad environment value names the variable', async () => {
    await assert.rejects(
      loadConfig({ cwd: await dirWith({}), env: { IOBENCH_THREADS: 'many' } }),
      /environment \(IOBENCH_THREADS\): "threads.0": expected number, received "many"/,
    );
  });

  test('bad JSON in .iobenchrc is reported as JSON, with line and column', async () => {
    const cwd = await dirWith({ '.iobenchrc': '{\n  "duration": "1s"\n  "connections": 8\n}\n' });
    await assert.rejects(loadConfig({ cwd, env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /\.iobenchrc is not valid JSON.*: comma expected at line 3, column 3/);
      assert.doesNotMatch(err.message, /YAML/);
      return true;
    });
  });

  test('.iobenchrc holding a YAML flow mapping still reads as YAML', async () => {
    const cwd = await dirWith({ '.iobenchrc': '{ load: wrk, connections: [8, 16] }\n' });
    const { config } = await loadConfig({ cwd, env: {} });
    assert.equal(config.load, 'wrk');
    assert.deepEqual(config.connections, [8, 16]);
  });

  test('a config file that is not valid JSON is a config error naming the file', async () => {
    const cwd = await dirWith({ '.iobenchrc.json': '{ "duration": ' });
    await assert.rejects(
      loadConfig({ cwd, env: {} }),
      (err: unknown) =>
        err instanceof ConfigError && /\.iobenchrc\.json is not valid JSON: value expected at line 1/.test(err.message),
    );
  });

  test('the generated JSON Schema describes every key for editors', () => {
    const schema = configJsonSchema() as {
      properties: Record<string, { description?: string }>;
      additionalProperties?: boolean;
    };
    for (const key of ['server', 'load', 'connections', 'duration', 'serverOptions', 'plugins']) {
      assert.ok(schema.properties[key], `schema has ${key}`);
    }
    assert.equal(schema.additionalProperties, false);
    assert.match(schema.properties.connections?.description ?? '', /connections/i);
  });
});
