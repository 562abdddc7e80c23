import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  histogramCount,
  InterruptedError,
  type IobenchError,
  PluginError,
  type ResultsFile,
  ServerError,
  TargetUnreachableError,
} from '@iobench/core';
import { runBenchmark } from '@iobench/engine/run';
import { captureStream, childPids, fixtureRegistry, tempDir, testConfig } from './helpers.js';

async function readResults(dir: string): Promise<ResultsFile> {
  return JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
}

describe('runBenchmark', () => {
  test('measures a server in its own process and writes results whose histogram count equals requests', async () => {
    const outDir = await tempDir();
    const out = captureStream();
    const config = testConfig({ server: 'fixture-server', load: 'fixture-load', repeat: 2, reporter: ['console'] });
    const { results } = await runBenchmark({ config, registry: await fixtureRegistry(), outDir, stdout: out.stream });
    const saved = await readResults(outDir);
    assert.equal(saved.status, 'complete');
    assert.equal(saved.schemaVersion, 1);
    assert.equal(saved.points.length, 2);
    for (const p of saved.points) {
      assert.equal(p.status, 'ok');
      assert.ok(p.requests > 0, 'requests measured');
      assert.equal(histogramCount(p.latencyUs.hdr), p.requests);
      assert.ok(p.latencyUs.p50 > 0 && p.latencyUs.p50 <= p.latencyUs.p99);
      assert.ok(p.serverStats, 'server stats recorded');
      assert.ok(p.serverStats.requests >= p.requests, 'server counted at least the measured requests');
      assert.ok(p.serverStats.cpuUs > 0, 'server CPU recorded');
      assert.equal(p.perConnection?.connections, 2);
    }
    assert.deepEqual(
      results.points.map((p) => p.id),
      ['fixture-server/fixture-load/c2/r0', 'fixture-server/fixture-load/c2/r1'],
    );
    assert.match(saved.env.node, /^v\d+/);
    assert.match(out.text(), /fixture-server\s+fixture-load\s+2\s+[\d,]+/);
  });

  test('anchors started by the user are measured alongside the plugins and shown as ratios', async () => {
    const anchor = http.createServer((_q, s) => s.end('anchor'));
    anchor.listen(0, '127.0.0.1');
    await new Promise((r) => anchor.once('listening', r));
    const url = `http://127.0.0.1:${(anchor.address() as { port: number }).port}/`;
    try {
      const out = captureStream();
      const config = testConfig({
        server: 'fixture-server',
        load: 'fixture-load',
        reporter: ['console'],
        anchors: [{ name: 'ref', url }],
      });
      const { results } = await runBenchmark({
        config,
        registry: await fixtureRegistry(),
        outDir: await tempDir(),
        stdout: out.stream,
      });
      assert.deepEqual(
        results.points.map((p) => [p.server, p.anchor ?? false, p.status]),
        [
          ['fixture-server', false, 'ok'],
          ['ref', true, 'ok'],
        ],
      );
      assert.equal(results.points[1]?.target, url);
      assert.match(out.text(), /vs ref/);
      // The ratio column sits after the parameters, before the figures: the anchor is 1.00x of itself.
      assert.match(out.text(), /\bref\s+fixture-load\s+2\s+1\.00x\s+[\d,]+/);
    } finally {
      anchor.close();
    }
  });

  test('a server that dies mid-run fails its point, the run reports it and keeps the results', async () => {
    const outDir = await tempDir();
    const config = testConfig({
      server: 'fixture-server',
      load: 'fixture-load',
      duration: '3s',
      serverOptions: { 'fixture-server': { exitAfterFirstRequestMs: 100 } },
    });
    await assert.rejects(
      runBenchmark({ config, registry: await fixtureRegistry(), outDir, stdout: captureStream().stream }),
      (err: IobenchError) => err.code === 'IOBENCH_POINTS_FAILED' && /died during the point/.test(err.message),
    );
    const saved = await readResults(outDir);
    assert.equal(saved.points[0]?.status, 'failed');
    assert.match(saved.points[0]?.error?.message ?? '', /fixture-server.*died/);
  });

  test('a plugin that throws is named in the error, with the hook', async () => {
    const config = testConfig({
      server: 'fixture-server',
      load: 'fixture-load',
      loadOptions: { 'fixture-load': { throwOnRun: true } },
    });
    await assert.rejects(
      runBenchmark({
        config,
        registry: await fixtureRegistry(),
        outDir: await tempDir(),
        stdout: captureStream().stream,
      }),
      (err: unknown) =>
        err instanceof PluginError &&
        err.plugin === 'fixture-load' &&
        err.hook === 'run' &&
        /exploded/.test(err.message),
    );
    const startFails = testConfig({
      server: 'fixture-server',
      load: 'fixture-load',
      serverOptions: { 'fixture-server': { throwOnStart: true } },
    });
    await assert.rejects(
      runBenchmark({
        config: startFails,
        registry: await fixtureRegistry(),
        outDir: await tempDir(),
        stdout: captureStream().stream,
      }),
      (err: unknown) =>
        err instanceof ServerError &&
        /server "fixture-server" failed to start: fixture refused/.test((err as Error).message),
    );
  });

  test('a hook that throws mid-run still ends results.json with a final status, and reporters hear onRunEnd', async () => {
    const outDir = await tempDir();
    const config = testConfig({
      server: 'fixture-server',
      load: 'fixture-load',
      repeat: 2,
      reporter: ['fixture-reporter'],
      reporterOptions: { 'fixture-reporter': { throwFrom: 'onPointEnd' } },
    });
    await assert.rejects(
      runBenchmark({ config, registry: await fixtureRegistry(), outDir, stdout: captureStream().stream }),
      (err: unknown) => err instanceof PluginError && err.plugin === 'fixture-reporter' && err.hook === 'onPointEnd',
    );
    const saved = await readResults(outDir);
    assert.equal(saved.status, 'failed');
    assert.ok(saved.finishedAt && saved.finishedAt >= saved.createdAt, `finishedAt: ${saved.finishedAt}`);
    assert.deepEqual(saved.error, {
      code: 'IOBENCH_PLUGIN_FAILED',
      message: 'plugin "fixture-reporter" failed in onPointEnd(): fixture reporter threw from onPointEnd',
      plugin: 'fixture-reporter',
    });
    assert.deepEqual(
      saved.points.map((p) => p.status),
      ['ok'],
      'the point measured before the failure is kept',
    );
    const heard = JSON.parse(await readFile(join(outDir, 'fixture-reporter.json'), 'utf8'));
    assert.deepEqual(heard, ['onRunStart', 'onPointEnd fixture-server/fixture-load/c2/r0', 'onRunEnd failed']);
  });

  test('a load generator that throws ends results.json as failed, with the error and finishedAt', async () => {
    const outDir = await tempDir();
    const config = testConfig({
      server: 'fixture-server',
      load: 'fixture-load',
      reporter: ['fixture-reporter'],
      loadOptions: { 'fixture-load': { throwOnRun: true } },
    });
    await assert.rejects(
      runBenchmark({ config, registry: await fixtureRegistry(), outDir, stdout: captureStream().stream }),
      PluginError,
    );
    const saved = await readResults(outDir);
    assert.equal(saved.status, 'failed');
    assert.ok(saved.finishedAt, 'finishedAt set');
    assert.equal(saved.error?.plugin, 'fixture-load');
    assert.match(saved.error?.message ?? '', /exploded/);
    const heard = JSON.parse(await readFile(join(outDir, 'fixture-reporter.json'), 'utf8'));
    assert.deepEqual(heard, ['onRunStart', 'onRunEnd failed']);
  });

  test('a plan the load generator does not declare it supports is refused before anything starts', async () => {
    const outDir = join(await tempDir(), 'out');
    const registry = await fixtureRegistry();
    const run = (input: Parameters<typeof testConfig>[0]) =>
      runBenchmark({
        config: testConfig({ server: 'fixture-server', load: 'fixture-load', ...input }),
        registry,
        outDir,
        stdout: captureStream().stream,
      });
    await assert.rejects(run({ threads: [1, 2] }), (err: IobenchError) => {
      assert.equal(err.exitCode, 2);
      assert.equal(err.plugin, 'fixture-load');
      assert.equal(
        err.message,
        'load generator "fixture-load" cannot honour --threads 1,2: it does not support more than one thread',
      );
      assert.deepEqual(err.suggestions, ['no available load generator supports more than one thread']);
      return true;
    });
    await assert.rejects(
      run({ pipelining: 4 }),
      /cannot honour --pipelining 4: it does not support more than one request in flight/,
    );
    await assert.rejects(
      run({ target: 'https://127.0.0.1:1/', server: undefined }),
      /cannot honour --target https:\/\/127\.0\.0\.1:1\/: it does not support https:\/\/ targets/,
    );
    assert.equal(existsSync(outDir), false, 'nothing was started, not even the output directory');
  });

  test('a port already in use is a clear start error', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const config = testConfig({
        server: 'fixture-server',
        load: 'fixture-load',
        serverOptions: { 'fixture-server': { port } },
      });
      await assert.rejects(
        runBenchmark({
          config,
          registry: await fixtureRegistry(),
          outDir: await tempDir(),
          stdout: captureStream().stream,
        }),
        (err: unknown) =>
          err instanceof ServerError &&
          /EADDRINUSE/.test((err as Error).message) &&
          (err as ServerError).suggestions.length > 0,
      );
    } finally {
      blocker.close();
    }
  });

  test('a target that refuses connections stops the run before any load', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const config = testConfig({ target: `http://127.0.0.1:${port}/`, load: 'fixture-load' });
    const outDir = await tempDir();
    await assert.rejects(
      runBenchmark({ config, registry: await fixtureRegistry(), outDir, stdout: captureStream().stream }),
      (err: unknown) => err instanceof TargetUnreachableError && /connection refused/.test((err as Error).message),
    );
  });

  test('interrupting keeps finished points, marks the run interrupted and leaves no server process', async () => {
    const outDir = await tempDir();
    const controller = new AbortController();
    const config = testConfig({ server: 'fixture-server', load: 'fixture-load', repeat: 3, duration: '600ms' });
    const registry = await fixtureRegistry();
    const running = runBenchmark({
      config,
      registry,
      outDir,
      stdout: captureStream().stream,
      signal: controller.signal,
      onPointEnd: () => {
        // Abort during the second point.
        setTimeout(() => controller.abort(), 200);
      },
    });
    await assert.rejects(
      running,
      (err: unknown) => err instanceof InterruptedError && (err as InterruptedError).exitCode === 130,
    );
    const saved = await readResults(outDir);
    assert.equal(saved.status, 'interrupted');
    assert.equal(saved.points.length, 1);
    assert.equal(saved.points[0]?.status, 'ok');
    // (tsx keeps an esbuild service child of its own; only server hosts count.)
    const hosts = childPids().filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server-host'));
    assert.deepEqual(hosts, [], 'no server host process left');
  });
});
