import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError } from '@iobench/core';
import { NO_PLACEMENT, type Placement, type PlacementRequest, runBenchmark } from '@iobench/engine/run';
import { captureStream, fixtureRegistry, tempDir, testConfig } from './helpers.js';

describe('placement', () => {
  test('without a placement, a run that asks for pinning is refused before anything starts', async () => {
    const outDir = join(await tempDir(), 'out');
    const config = testConfig({ server: 'fixture-server', load: 'fixture-load', serverCpus: '0' });
    await assert.rejects(
      runBenchmark({ config, registry: await fixtureRegistry(), outDir, stdout: captureStream().stream }),
      (err: unknown) =>
        err instanceof ConfigError && /--server-cpus need placement \(pinning, network namespaces/.test(err.message),
    );
    assert.equal(existsSync(outDir), false);
  });

  test('the orchestrator checks, then pins the server host and itself through the placement it is given', async () => {
    const calls: Array<[string, ...unknown[]]> = [];
    const placement: Placement = {
      ...NO_PLACEMENT,
      async check(request: PlacementRequest) {
        calls.push(['check', request]);
      },
      async pinProcess(pid: number, cpus: string) {
        calls.push(['pin', pid === process.pid ? 'self' : 'host', cpus]);
      },
    };
    const config = testConfig({
      server: 'fixture-server',
      load: 'fixture-load',
      serverCpus: '0',
      loadCpus: '1',
      duration: '200ms',
      connections: 1,
    });
    const { results } = await runBenchmark({
      config,
      registry: await fixtureRegistry(),
      outDir: await tempDir(),
      stdout: captureStream().stream,
      placement,
    });
    assert.equal(results.points[0]?.status, 'ok');
    assert.deepEqual(calls, [
      ['check', { serverCpus: '0', loadCpus: '1', netns: false, profile: [] }],
      ['pin', 'self', '1'],
      ['pin', 'host', '0'],
    ]);
    assert.deepEqual(results.env.pinning, { serverCpus: '0', loadCpus: '1' });
  });
});
