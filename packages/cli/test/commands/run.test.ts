import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { histogramCount, type ResultsFile } from '@iobench/core';
import { FIXTURES, iobench, isRunning, projectWith, serverHostsOf, tempDir } from '../helpers.js';

async function results(dir: string): Promise<ResultsFile> {
  return JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
}

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe('iobench run', () => {
  test('with no --load the native generator measures', async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--server',
      'node',
      '--connections',
      '8',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /node\s+native\s+8\s+[\d,]+/);
    const [point] = (await results(out)).points;
    assert.equal(point?.load, 'native');
    assert.ok(point && point.requests > 100, `requests: ${point?.requests}`);
    assert.equal(histogramCount(point.latencyUs.hdr), point.requests);
    assert.equal(point.perConnection?.connections, 8);
  });

  test('measures the node server with undici, prints a table and writes a decodable histogram', async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--server',
      'node',
      '--load',
      'undici',
      '--connections',
      '8',
      '--duration',
      '2s',
      '--warmup',
      '200ms',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /server\s+load\s+conns\s+req\/s\s+p50/);
    assert.match(r.stdout, /node\s+undici\s+8\s+[\d,]+/);
    const saved = await results(out);
    assert.equal(saved.status, 'complete');
    const [point] = saved.points;
    assert.ok(point && point.requests > 100, `requests: ${point?.requests}`);
    assert.equal(histogramCount(point.latencyUs.hdr), point.requests);
    assert.ok(point.serverStats && point.serverStats.cpuUs > 0);
    assert.equal(point.perConnection?.connections, 8);
  });

  test('--target measures a server iobench did not start', async () => {
    let served = 0;
    const server = http.createServer((_q, s) => {
      served++;
      s.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    try {
      const out = await tempDir();
      const r = await iobench([
        'run',
        '--target',
        `http://127.0.0.1:${port}/`,
        '--connections',
        '4',
        '--duration',
        '1s',
        '--warmup',
        '0',
        '--out',
        out,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const saved = await results(out);
      assert.equal(saved.points[0]?.server, 'target');
      assert.ok(saved.points[0]!.requests > 0);
      assert.ok(served >= saved.points[0]!.requests, 'the external server saw the requests');
    } finally {
      server.close();
    }
  });

  test('--json prints only the results document', async () => {
    const r = await iobench([
      'run',
      '--server',
      'node',
      '--connections',
      '2',
      '--duration',
      '500ms',
      '--warmup',
      '0',
      '--out',
      await tempDir(),
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as ResultsFile;
    assert.equal(doc.points.length, 1);
  });

  test('the example config runs its third-party plugin loaded by path', async () => {
    const examples = new URL('../../../../examples/', import.meta.url).pathname;
    const out = await tempDir();
    const r = await iobench(
      ['run', '--server', 'net-hello', '--connections', '2', '--duration', '500ms', '--warmup', '0', '--out', out],
      { cwd: examples },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /net-hello/);
    assert.equal((await results(out)).points[0]?.status, 'ok');
  });
});

// Refusals and failures only, none measured and each on its own ports and files: they run side by
// side (most of their time is the CLI starting).
describe('iobench run: bad input', { concurrency: true }, () => {
  test('an invalid config value names the key path and the received value (exit 2)', async () => {
    const cwd = await projectWith({ '.iobenchrc': 'connections: [8, zero]\n' });
    const r = await iobench(['run'], { cwd });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.iobenchrc: connections\.1 must be a positive integer \(got "zero"\)/);
  });

  test('a bad flag value names the flag, what it must be and what it got (exit 2)', async () => {
    const r = await iobench(['run', '--server', 'node', '--duration', 'forever', '--connections', 'abc']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--duration must be a duration such as 500ms, 10s or 1m.* \(got "forever"\)/);
    assert.match(r.stderr, /--connections must be a positive integer or a list of them \(got "abc"\)/);
    assert.doesNotMatch(r.stderr, /Known keys|pipelining/, 'a value error does not list every key');
  });

  test('a sweep past the open-file limit is refused before anything starts (exit 2)', async () => {
    const limits = await readFile('/proc/self/limits', 'utf8');
    const soft = Number(/Max open files\s+(\d+)/.exec(limits)?.[1]);
    const r = await iobench(['run', '--server', 'node', '--connections', `8,${soft + 1}`, '--out', await tempDir()]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      new RegExp(
        `connections ${soft + 1} need ${soft + 65} open files per process, but the open-file limit \\(ulimit -n\\) is ${soft}`,
      ),
    );
    assert.match(r.stderr, new RegExp(`hint: .*ulimit -n ${soft + 65}\\b`), 'the ulimit advised is the number needed');
    assert.doesNotMatch(r.stdout, /node\/undici\/c8/, 'no point ran');
  });

  test('an unknown plugin lists the available ones (exit 2)', async () => {
    const r = await iobench(['run', '--server', 'nginx-turbo']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown server plugin "nginx-turbo"; available: .*node/);
  });

  test('a bad plugin option names the plugin, the option and the value (exit 2)', async () => {
    const r = await iobench(['run', '--server', 'node', '--server-opt', 'bodySize=-5']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /server plugin "node": option "bodySize": .*received -5/);
  });

  test('an option a third-party schema would drop is refused, naming the plugin, the key and its options (exit 2)', async () => {
    const cwd = await projectWith({
      '.iobenchrc': `plugins: [${JSON.stringify(join(FIXTURES, 'failing-plugins.mjs'))}]\n`,
    });
    const out = join(await tempDir(), 'out');
    const r = await iobench(['run', '--server', 'loose', '--server-opt', 'greting=hello', '--out', out], { cwd });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /server plugin "loose": option "greting" is not one of its options \(did you mean "greeting"\?\) \(known: greeting\)/,
    );
    assert.equal(existsSync(out), false, 'refused before anything started');
  });

  test('a setting the load generator cannot honour is refused before any server host starts (exit 2)', async () => {
    const cwd = await projectWith({
      '.iobenchrc': `plugins: [${JSON.stringify(join(FIXTURES, 'recording-plugins.mjs'))}]\n`,
    });
    const loadedBy = join(cwd, 'loaded-by');
    const out = join(cwd, 'out');
    const running = iobench(
      ['run', '--server', 'recording', '--load', 'wrk', '--rate', '100', '--duration', '500ms', '--out', out],
      { cwd, env: { RECORD_PLUGIN_LOADS: loadedBy } },
    );
    const r = await running;
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /load generator "wrk" cannot honour --rate 100: it does not support the open model/);
    assert.match(r.stderr, /hint: .*--load native.*--load undici/);
    const pids = new Set((await readFile(loadedBy, 'utf8')).trim().split('\n').map(Number));
    assert.deepEqual(
      [...pids],
      [running.child.pid],
      'only the CLI loaded the server plugin: no server host was spawned',
    );
    assert.equal(existsSync(out), false, 'refused before the output directory was made');
  });

  test('a port already in use fails the run with the port named (exit 1)', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const { port } = blocker.address() as { port: number };
    try {
      const r = await iobench([
        'run',
        '--server',
        'node',
        '--server-opt',
        `port=${port}`,
        '--duration',
        '500ms',
        '--out',
        await tempDir(),
      ]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /server "node" failed to start: .*EADDRINUSE/);
      assert.match(r.stderr, /hint: Choose another port/);
    } finally {
      blocker.close();
    }
  });

  test('a target that refuses connections is named (exit 1)', async () => {
    const port = await freePort();
    const r = await iobench([
      'run',
      '--target',
      `http://127.0.0.1:${port}/`,
      '--duration',
      '500ms',
      '--out',
      await tempDir(),
    ]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(`target http://127.0.0.1:${port}/ does not accept connections: connection refused`),
    );
  });

  test('a plugin that throws is named in the error (exit 1)', async () => {
    const cwd = await projectWith({
      '.iobenchrc': `plugins: [${JSON.stringify(join(FIXTURES, 'failing-plugins.mjs'))}]\n`,
    });
    const out = await tempDir();
    const r = await iobench(['run', '--server', 'throwing', '--duration', '500ms', '--out', out], { cwd });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /server "throwing" failed to start: deliberate failure in start/);
    const saved = await results(out);
    assert.equal(saved.status, 'failed', 'results.json ends with a final status');
    assert.ok(saved.finishedAt, 'and finishedAt');
    assert.match(saved.error?.message ?? '', /server "throwing" failed to start/);
    assert.match(r.stdout, /^server\s+load\s+conns\s+req\/s/m, 'the console reporter heard onRunEnd: its table');
  });

  test('a server that dies mid-run fails its point and the run says so (exit 1)', async () => {
    const cwd = await projectWith({
      '.iobenchrc': `plugins: [${JSON.stringify(join(FIXTURES, 'failing-plugins.mjs'))}]\n`,
    });
    const out = await tempDir();
    const r = await iobench(
      ['run', '--server', 'dying,node', '--connections', '2', '--duration', '1500ms', '--warmup', '0', '--out', out],
      { cwd },
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /1 of 2 point\(s\) failed/);
    assert.match(r.stderr, /server "dying" \(pid \d+\) died during the point/);
    const saved = await results(out);
    assert.deepEqual(
      saved.points.map((p) => p.status),
      ['failed', 'ok'],
      'the run went on to the next server',
    );
  });

  test('Ctrl-C exits 130, keeps finished points and leaves no server behind', async () => {
    const out = await tempDir();
    const run = iobench([
      'run',
      '--server',
      'node',
      '--repeat',
      '3',
      '--connections',
      '2',
      '--duration',
      '1s',
      '--warmup',
      '0',
      '--out',
      out,
    ]);
    // Interrupt once the first point is in results.json.
    let first: ResultsFile | undefined;
    for (let i = 0; i < 100 && !first?.points.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      first = await results(out).catch(() => undefined);
    }
    assert.equal(first?.points.length, 1, 'first point finished');
    // This run's host by parentage: other runs on the machine have hosts of their own.
    const hosts = serverHostsOf(run.child.pid!);
    run.child.kill('SIGINT');
    const r = await run;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /interrupted/);
    const saved = await results(out);
    assert.equal(saved.status, 'interrupted');
    assert.ok(saved.points.length >= 1 && saved.points.every((p) => p.status === 'ok'));
    assert.deepEqual(hosts.filter(isRunning), [], 'no server host process outlives the run');
  });

  test('SIGTERM names the signal received and how to force the stop (exit 130)', async (t) => {
    const out = await tempDir();
    t.after(() => rm(out, { recursive: true, force: true }));
    const run = iobench([
      'run',
      '--server',
      'node',
      '--connections',
      '1',
      '--duration',
      '20s',
      '--warmup',
      '0',
      '--out',
      out,
    ]);
    let stdout = '';
    run.child.stdout?.on('data', (d) => (stdout += d));
    for (let i = 0; i < 100 && !/iobench: server node/.test(stdout); i++) await new Promise((r) => setTimeout(r, 100));
    run.child.kill('SIGTERM');
    const r = await run;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /received SIGTERM; stopping the current point \(send SIGTERM again to quit at once\)/);
    assert.doesNotMatch(r.stderr, /Ctrl-C/);
  });
});
