import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError } from '@iobench/core';
import { configJsonSchema, type LoadConfigOptions, loadConfig as loadWith } from '@iobench/engine/config';

/** The plan defaults the embedding program passes; core has none of its own. */
const defaults = { server: ['server-a', 'server-b'], load: 'load-a' };
const loadConfig = (options: Omit<LoadConfigOptions, 'defaults'>) => loadWith({ ...options, defaults });

const made: string[] = [];
after(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iobench-config-'));
  made.push(dir);
  await writeFile(join(dir, 'package.json'), '{"name":"x"}');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('loadConfig', () => {
  test('schema defaults apply when nothing is configured', async () => {
    const { config, filePath } = await loadConfig({ cwd: await dirWith({}), env: {} });
    assert.equal(filePath, undefined);
    assert.deepEqual(config.load, ['load-a'], 'the embedding program’s default load');
    assert.deepEqual(config.server, ['server-a', 'server-b'], 'the embedding program’s default servers');
    assert.deepEqual(config.connections, [64]);
    assert.equal(config.duration, 5000);
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
    assert.deepEqual(config.load, ['fixture'], 'flags beat env');
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

  test('an invalid value names the key path, the source, what was expected and the received value', async () => {
    const cwd = await dirWith({ '.iobenchrc.json': JSON.stringify({ connections: [8, -4], duration: 'soon' }) });
    const file = join(cwd, '.iobenchrc.json');
    await assert.rejects(loadConfig({ cwd, env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.exitCode, 2);
      assert.ok(
        err.message.includes(`config file ${file}: connections.1 must be a positive integer (got -4)`),
        err.message,
      );
      assert.ok(
        err.message.includes(
          `config file ${file}: duration must be a duration such as 500ms, 10s or 1m, or a number of seconds (got "soon")`,
        ),
        err.message,
      );
      return true;
    });
  });

  test('durations: a bare number is seconds, in files, variables and flags; units ms, s, m', async () => {
    const cwd = await dirWith({ '.iobenchrc': JSON.stringify({ duration: 2, timeout: '250ms' }) });
    const fromFile = await loadConfig({ cwd, env: {} });
    assert.equal(fromFile.config.duration, 2000, 'duration: 2 is two seconds');
    assert.equal(fromFile.config.timeout, 250);
    const fromEnv = await loadConfig({ cwd, env: { IOBENCH_DURATION: '3', IOBENCH_WARMUP: '0.5' } });
    assert.equal(fromEnv.config.duration, 3000);
    assert.equal(fromEnv.config.warmup, 500);
    const fromFlags = await loadConfig({ cwd, env: {}, flags: { duration: '1.5m', warmup: '0' } });
    assert.equal(fromFlags.config.duration, 90_000);
    assert.equal(fromFlags.config.warmup, 0, 'no warm-up');
  });

  test('a duration of zero, below 100ms, negative, or over an hour is refused, saying how it was read', async () => {
    const cwd = await dirWith({ '.iobenchrc': JSON.stringify({ duration: 5000 }) });
    const file = join(cwd, '.iobenchrc');
    await assert.rejects(loadConfig({ cwd, env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.ok(
        err.message.includes(
          `config file ${file}: duration must be at most 1h (a bare number is seconds: 5000 is 5000s; for milliseconds write 5000ms) (got 5000)`,
        ),
        err.message,
      );
      return true;
    });
    const refused = async (flags: Record<string, unknown>, pattern: RegExp) =>
      assert.rejects(loadConfig({ cwd: await dirWith({}), env: {}, flags }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, pattern);
        return true;
      });
    await refused({ duration: '0' }, /--duration must be a positive duration, such as 500ms or 10s \(got "0"\)/);
    await refused({ duration: '-2s' }, /--duration must be a positive duration, such as 500ms or 10s \(got "-2s"\)/);
    await refused({ duration: '50ms' }, /--duration must be at least 100ms \(got "50ms"\)/);
    await refused({ timeout: '0' }, /--timeout must be a positive duration/);
    await refused({ warmup: '-1' }, /--warmup must be a duration of zero or more/);
    await refused({ warmup: '2h' }, /--warmup must be at most 1h \(got "2h"\)/);
  });

  test('thresholds: parsed from a file; a bad one is quoted with its path; cpuPerRequest is refused with a target', async () => {
    const good = await loadConfig({
      cwd: await dirWith({ '.iobenchrc': 'thresholds: [p99<10ms, rps>500]\n' }),
      env: {},
    });
    assert.deepEqual(
      good.config.thresholds.map((t) => [t.metric, t.limit]),
      [
        ['p99', 10_000],
        ['rps', 500],
      ],
    );
    const cwd = await dirWith({ '.iobenchrc.json': JSON.stringify({ thresholds: ['p99<10ms', 'p99<10'] }) });
    await assert.rejects(loadConfig({ cwd, env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const file = join(cwd, '.iobenchrc.json');
      assert.ok(
        err.message.includes(
          `config file ${file}: thresholds.1 "p99<10": expected a latency with a unit, us, ms or s, e.g. 10ms, received "10"`,
        ),
        err.message,
      );
      return true;
    });
    await assert.rejects(
      loadConfig({
        cwd: await dirWith({}),
        env: {},
        flags: { target: 'http://127.0.0.1:9/', thresholds: ['cpuPerRequest<20us'] },
        flagNames: { thresholds: '--threshold' },
      }),
      /--threshold "cpuPerRequest<20us": expected a threshold iobench can measure on a target it did not start/,
    );
  });

  test('every setting has its source: default, the file, the IOBENCH_ variable or the flag', async () => {
    const cwd = await dirWith({ '.iobenchrc': 'connections: 16\nrepeat: 2\n' });
    const { sources } = await loadConfig({
      cwd,
      env: { IOBENCH_REPEAT: '3' },
      flags: { thresholds: ['p99<1s'] },
      flagNames: { thresholds: '--threshold' },
    });
    assert.deepEqual(sources.connections, { kind: 'file', filePath: join(cwd, '.iobenchrc') });
    assert.deepEqual(sources.repeat, { kind: 'environment', name: 'IOBENCH_REPEAT' });
    assert.deepEqual(sources.thresholds, { kind: 'flag', name: '--threshold' });
    assert.deepEqual(sources.duration, { kind: 'default' });
  });

  test('the config files found after the one used are listed as shadowed, and none of them is run', async () => {
    const cwd = await dirWith({
      '.iobenchrc': 'connections: 16\n',
      'iobench.config.mjs': "throw new Error('a shadowed config was run');\n",
      '.iobenchrc.yaml': '',
    });
    await writeFile(join(cwd, 'package.json'), JSON.stringify({ name: 'x', iobench: { repeat: 2 } }));
    const loaded = await loadConfig({ cwd, env: {} });
    assert.equal(loaded.filePath, join(cwd, 'package.json'), 'package.json comes first in the search order');
    assert.deepEqual(
      loaded.shadowed,
      [join(cwd, '.iobenchrc'), join(cwd, 'iobench.config.mjs')],
      'the empty file holds nothing',
    );
  });

  test('an unknown IOBENCH_ variable is an error naming it and the nearest known one', async () => {
    await assert.rejects(
      loadConfig({ cwd: await dirWith({}), env: { IOBENCH_CONECTIONS: '8', IOBENCH_ZZZ: '1' } }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.exitCode, 2);
        assert.match(
          err.message,
          /IOBENCH_CONECTIONS is not an iobench setting \(did you mean "IOBENCH_CONNECTIONS"\?\)/,
        );
        assert.match(err.message, /IOBENCH_ZZZ is not an iobench setting\n?/);
        assert.match(err.suggestions.join('\n'), /The variables iobench reads: IOBENCH_PLUGINS, IOBENCH_SERVER, /);
        return true;
      },
    );
  });

  test('a wrong type says the type expected (a value or a list of them), not "Invalid input"', async () => {
    const cwd = await dirWith({ '.iobenchrc.json': JSON.stringify({ connections: 'abc', duration: true, rate: [] }) });
    await assert.rejects(loadConfig({ cwd, env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /: connections must be a positive integer or a list of them \(got "abc"\)/);
      assert.match(err.message, /: duration must be a duration such as 500ms, 10s or 1m.* \(got true\)/);
      assert.match(err.message, /: rate must be a positive number or a list of them \(got \[\]\)/);
      assert.doesNotMatch(err.message, /Invalid input/);
      return true;
    });
  });

  test('a value error does not list every config key', async () => {
    const cwd = await dirWith({ '.iobenchrc': JSON.stringify({ repeat: 0 }) });
    await assert.rejects(loadConfig({ cwd, env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /repeat must be a positive integer \(got 0\)/);
      const said = [err.message, ...err.suggestions].join('\n');
      assert.doesNotMatch(said, /Known keys|pipelining|serverCpus/);
      return true;
    });
  });

  test('unknown keys are rejected, by name, with the nearest known keys only', async () => {
    const cwd = await dirWith({ '.iobenchrc': JSON.stringify({ conections: 8, anchors: [{ name: 'a', urll: 'x' }] }) });
    await assert.rejects(loadConfig({ cwd, env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /unknown key "conections" \(did you mean "connections"\?\)/);
      assert.match(err.message, /unknown key "urll" in anchors\.0 \(did you mean "url"\?\)/);
      assert.doesNotMatch([err.message, ...err.suggestions].join('\n'), /Known keys|pipelining/);
      return true;
    });
  });

  test('a bad environment variable or flag is named as typed, with the text given', async () => {
    await assert.rejects(
      loadConfig({
        cwd: await dirWith({}),
        env: { IOBENCH_THREADS: 'many' },
        flags: { connections: ['abc'], idleConnections: [2, -1] },
      }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /IOBENCH_THREADS must be a positive integer or a list of them \(got "many"\)/);
        assert.match(err.message, /--connections must be a positive integer or a list of them \(got "abc"\)/);
        assert.match(err.message, /--idle-connections must be a non-negative integer or a list of them \(got "2,-1"\)/);
        return true;
      },
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
    assert.deepEqual(config.load, ['wrk']);
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
    const schema = configJsonSchema(defaults) as {
      properties: Record<string, { description?: string; default?: unknown }>;
      additionalProperties?: boolean;
    };
    for (const key of ['server', 'load', 'connections', 'duration', 'serverOptions', 'plugins']) {
      assert.ok(schema.properties[key], `schema has ${key}`);
    }
    assert.equal(schema.additionalProperties, false);
    assert.match(schema.properties.connections?.description ?? '', /connections/i);
    assert.equal(schema.properties.load?.default, 'load-a', 'the default load shown to editors');
    assert.match(schema.properties.duration?.description ?? '', /seconds \(a bare number\)/);
    assert.equal(schema.properties.duration?.default, '5s', 'defaults shown as written, not in milliseconds');
  });
});
