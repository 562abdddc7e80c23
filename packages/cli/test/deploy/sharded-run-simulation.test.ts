/**
 * The Kubernetes path simulated on one machine (there is no cluster here): `kube render` renders the
 * manifests, and their pods' arguments run as processes — one `iobench serve` as the server
 * Deployment runs it (bound to loopback), three shards as the Indexed Job's pods run them (each with
 * JOB_COMPLETION_INDEX set and $(VAR) expanded as the kubelet does, the results volume a temporary
 * directory), started together by --start-at; then the merge Job's `iobench merge`.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { histogramCount, type ResultsFile } from '@iobench/core';
import { parseAllDocuments } from 'yaml';
import { RESULTS_MOUNT } from '../../src/kube/manifests.js';
import { iobench, tempDir } from '../helpers.js';

const SHARDS = 3;

interface Container {
  args: string[];
}

async function podContainer(file: string): Promise<Container> {
  const [doc] = parseAllDocuments(await readFile(file, 'utf8'));
  return (doc!.toJS() as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec
    .containers[0]!;
}

/** A container's args as the kubelet passes them: $(VAR) from the container's environment, the volume mounted at `volume`. */
function asKubelet(args: string[], env: Record<string, string>, volume: string): string[] {
  return args
    .map((a) => a.replace(/\$\((\w+)\)/g, (ref, name: string) => env[name] ?? ref))
    .map((a) => (a.startsWith(`${RESULTS_MOUNT}/`) ? join(volume, a.slice(RESULTS_MOUNT.length)) : a));
}

test('3 shards of a rendered Indexed Job, started by --start-at, merge to exactly the sum of their measurements', async (t) => {
  const dir = await tempDir();
  const volume = join(dir, 'volume');

  // The server Deployment's `iobench serve`, on loopback and a free port.
  const server = iobench(['serve', '--server', 'epoll', '--host', '127.0.0.1', '--port', '0'], { timeoutMs: 60_000 });
  t.after(() => server.child.kill('SIGINT'));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /serving at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void server.then((r) => reject(new Error(`iobench serve exited ${r.code}: ${r.stderr}`)));
  });

  const render = await iobench([
    'kube',
    'render',
    '--shards',
    String(SHARDS),
    '--target',
    url,
    '--start-in',
    '6s',
    '--duration',
    '1s',
    '--out-dir',
    join(dir, 'k8s'),
  ]);
  assert.equal(render.code, 0, render.stderr);
  const load = await podContainer(join(dir, 'k8s', 'load-job.yaml'));
  const shards = await Promise.all(
    Array.from({ length: SHARDS }, (_, i) => {
      const env = { JOB_COMPLETION_INDEX: String(i) };
      return iobench(asKubelet(load.args, env, volume), { env, timeoutMs: 40_000 });
    }),
  );
  for (const [i, r] of shards.entries()) assert.equal(r.code, 0, `shard ${i}: ${r.stderr}`);

  const merge = await podContainer(join(dir, 'k8s', 'merge-job.yaml'));
  const merged = await iobench(asKubelet(merge.args, {}, volume));
  assert.equal(merged.code, 0, merged.stderr);

  const read = async (path: string) => JSON.parse(await readFile(join(volume, path), 'utf8')) as ResultsFile;
  const parts = await Promise.all(Array.from({ length: SHARDS }, (_, i) => read(`shard-${i}/results.json`)));
  const whole = await read('merged/results.json');
  const point = whole.points[0]!;
  const shardPoints = parts.map((p) => p.points[0]!);

  assert.deepEqual(
    parts.map((p) => [p.shard?.index, p.shard?.count, p.plan.connections[0]]),
    [
      [0, 3, 22],
      [1, 3, 21],
      [2, 3, 21],
    ],
    'the default 64 connections split 22 + 21 + 21',
  );
  assert.equal(point.params.connections, 64);
  assert.equal(point.perConnection?.connections, 64);
  const sum = shardPoints.reduce((a, p) => a + p.requests, 0);
  assert.ok(sum > 0, 'the shards measured requests');
  assert.equal(point.requests, sum, 'merged requests are exactly the sum of the shards’');
  assert.equal(histogramCount(point.latencyUs.hdr), sum, 'the merged histogram counts every request');
  const skewMs = point.merge?.startSkewMs;
  assert.ok(skewMs !== undefined && skewMs < 50, `shards started their measured phases within 50 ms (${skewMs} ms)`);
  for (const p of shardPoints) assert.ok(p.measuredStart?.offsetMs !== undefined, 'each shard records its offset');

  assert.match(merged.stdout, /merged 3 results files as 3 shards/);
  assert.match(
    merged.stdout,
    new RegExp(
      `${point.id}: [\\d,]+ req/s from 3 shards, [\\d,]+ requests on 64 connections; measured phases started within [\\d.]+ ms`,
    ),
  );
  for (let i = 0; i < SHARDS; i++) {
    assert.match(
      merged.stdout,
      new RegExp(`shard ${i} +[\\d,]+ req/s +2[12] conns +start [+-][\\d.]+ ms +\\S+shard-${i}/results\\.json`),
    );
  }
  t.diagnostic(
    `requests ${shardPoints.map((p) => p.requests).join(' + ')} = ${point.requests}; start skew ${skewMs} ms; offsets ${shardPoints.map((p) => p.measuredStart?.offsetMs).join(', ')} ms`,
  );
});

test('--results-in-logs (any cluster, no shared volume): the shards’ logs are their results.json, merged where kubectl runs — Poisson arrivals from one --seed, each shard drawing its own', async (t) => {
  const dir = await tempDir();
  const server = iobench(['serve', '--server', 'epoll', '--host', '127.0.0.1', '--port', '0'], { timeoutMs: 60_000 });
  t.after(() => server.child.kill('SIGINT'));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /serving at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void server.then((r) => reject(new Error(`iobench serve exited ${r.code}: ${r.stderr}`)));
  });
  const k8s = join(dir, 'k8s');
  const render = await iobench(
    ['kube', 'render', '--shards', '2', '--target', url, '--results-in-logs'].concat([
      ...['--connections', '4', '--rate', '400', '--arrivals', 'poisson', '--seed', '7'],
      '--start-in',
      '5s',
      '--duration',
      '1s',
      '--out-dir',
      k8s,
    ]),
  );
  assert.equal(render.code, 0, render.stderr);
  assert.deepEqual((await readdir(k8s)).sort(), ['load-job.yaml'], 'no claim, no merge Job, no server');
  const load = await podContainer(join(k8s, 'load-job.yaml'));
  const logs = await Promise.all(
    [0, 1].map((i) => {
      const env = { JOB_COMPLETION_INDEX: String(i) };
      return iobench(asKubelet(load.args, env, join(dir, `emptydir-${i}`)), { env, timeoutMs: 40_000 });
    }),
  );
  const files = await Promise.all(
    logs.map(async (r, i) => {
      assert.equal(r.code, 0, `shard ${i}: ${r.stderr}`);
      const file = join(dir, `shard-${i}.json`);
      await writeFile(file, r.stdout); // kubectl logs -l job-name=…,batch.kubernetes.io/job-completion-index=i > shard-i.json
      return file;
    }),
  );
  const merged = await iobench(['merge', ...files, '--out', join(dir, 'merged')]);
  assert.equal(merged.code, 0, merged.stderr);
  assert.equal(merged.stderr, '', 'no warning: the shards drew independent arrivals');
  assert.match(merged.stdout, /merged 2 results files as 2 shards/);
  const shardPoints = logs.map((r) => (JSON.parse(r.stdout) as ResultsFile).points[0]!);
  const point = (JSON.parse(await readFile(join(dir, 'merged', 'results.json'), 'utf8')) as ResultsFile).points[0]!;
  assert.deepEqual([point.params.rate, point.params.arrivals, point.params.seed], [400, 'poisson', undefined]);
  const sum = shardPoints.reduce((a, p) => a + p.requests, 0);
  assert.ok(sum > 0, 'the shards measured requests');
  assert.equal(point.requests, sum, 'merged requests are exactly the sum of the shards’');
  const seeds = shardPoints.map((p) => p.params.seed);
  assert.equal(seeds[0], 7);
  assert.notEqual(seeds[1], 7, 'shard 1 draws from a seed of its own');
  assert.deepEqual(
    point.merge?.parts.map((p) => p.seed),
    seeds,
  );
});
