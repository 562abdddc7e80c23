import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError } from '@iobench/core';
import { runBenchmark } from '@iobench/engine/run';
import { captureStream, childPids, fixtureRegistry, tempDir, testConfig } from './helpers.js';

describe('common server options', () => {
  test('a --body-size sweep on a server that does not declare bodySize is refused before anything starts', async () => {
    const outDir = join(await tempDir(), 'out');
    const before = childPids().length;
    const config = testConfig({ server: 'fixture-server', load: 'fixture-load', bodySize: [0, 64] });
    await assert.rejects(
      runBenchmark({ config, registry: await fixtureRegistry(), outDir, stdout: captureStream().stream }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.exitCode, 2);
        assert.match(
          err.message,
          /--body-size sets the common server option "bodySize" \(0\), which server "fixture-server" does not declare \(its commonOptions: none\)/,
        );
        return true;
      },
    );
    assert.equal(existsSync(outDir), false, 'no output directory was created');
    assert.equal(childPids().length, before, 'no server host was started');
  });

  test('--work on a server that declares other common options, but not work, is refused', async () => {
    const config = testConfig({ server: 'fixture-common-server', load: 'fixture-load', work: 'cpu:10' });
    await assert.rejects(
      runBenchmark({ config, registry: await fixtureRegistry(), stdout: captureStream().stream }),
      /--work sets the common server option "work" \("cpu:10"\), which server "fixture-common-server" does not declare \(its commonOptions: port, bodySize\)/,
    );
  });

  test('a server that declares bodySize gets each swept value', async () => {
    const outDir = await tempDir();
    const config = testConfig({
      server: 'fixture-common-server',
      load: 'fixture-load',
      connections: 1,
      duration: '200ms',
      bodySize: [1, 100],
    });
    const { results } = await runBenchmark({
      config,
      registry: await fixtureRegistry(),
      outDir,
      stdout: captureStream().stream,
    });
    assert.deepEqual(
      results.points.map((p) => [p.id, p.serverOptions.bodySize]),
      [
        ['fixture-common-server/fixture-load/c1/body1/r0', 1],
        ['fixture-common-server/fixture-load/c1/body100/r0', 100],
      ],
    );
  });
});
