import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { histogramCount, type PointResult, type ResultsFile } from '@iobench/core';
import { makePoint, makeResults } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

/** What one load host measured for one point: `requests` requests at `latencyUs` each. */
function point(connections: number, requests: number, latencyUs: number): PointResult {
  return makePoint({
    server: 'target',
    params: { connections },
    latencyUs: [[latencyUs, requests]],
    bytes: requests * 50,
    errors: { connect: 1 },
    loadStats: { cpuUs: 1000, cpuUsPerRequest: 1000 / requests, generatorBound: false },
  });
}

/** A load host's results.json for the plan `--target http://127.0.0.1:8080/ --connections 8,64`. */
async function hostFile(
  dir: string,
  hostname: string,
  requests: number,
  latencyUs: number,
  load = 'undici',
): Promise<string> {
  const results = makeResults([point(8, requests, latencyUs), point(64, requests * 2, latencyUs)], {
    createdAt: `2026-01-01T00:00:0${requests % 10}.000Z`,
    env: { hostname },
    plan: { servers: [], target: 'http://127.0.0.1:8080/', loads: [load] },
  });
  const path = join(dir, `${hostname}.json`);
  await writeFile(path, JSON.stringify(results));
  return path;
}

describe('iobench merge', () => {
  test('combines load hosts into one results.json: histograms added, counts summed, every host recorded', async () => {
    const dir = await tempDir();
    const a = await hostFile(dir, 'load-a', 901, 300);
    const b = await hostFile(dir, 'load-b', 99, 9000);
    const out = join(dir, 'merged');
    const r = await iobench(['merge', a, b, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /merged 2 results files \(hosts load-a, load-b\): 2 point\(s\)/);
    assert.equal(r.stderr, '');
    const merged = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile & {
      env: { hosts: Array<{ hostname: string; file: string }> };
    };
    const [c8, c64] = merged.points;
    assert.equal(c8!.requests, 1000);
    assert.equal(histogramCount(c8!.latencyUs.hdr), 1000, 'the merged histogram holds every request');
    assert.equal(histogramCount(c64!.latencyUs.hdr), c64!.requests);
    assert.equal(c8!.rps, 1000);
    assert.equal(c8!.errors.connect, 2);
    assert.ok(c8!.latencyUs.p99 >= 8990, `p99 comes from the slow host (got ${c8!.latencyUs.p99})`);
    assert.ok(c8!.latencyUs.p50 < 400, `p50 from the fast one (got ${c8!.latencyUs.p50})`);
    assert.deepEqual(
      merged.env.hosts.map((h) => [h.hostname, h.file]),
      [
        ['load-a', a],
        ['load-b', b],
      ],
    );
    const report = await iobench(['report', join(out, 'results.json')]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /target\s+undici\s+8\s+1,000/);
  });

  test('files of different plans, one file alone and corrupt files are clear errors (exit 2)', async () => {
    const dir = await tempDir();
    const a = await hostFile(dir, 'load-a', 100, 300);
    const wrk = await hostFile(dir, 'load-w', 100, 300, 'wrk');
    const out = join(dir, 'merged');
    const different = await iobench(['merge', a, wrk, '--out', out]);
    assert.equal(different.code, 2);
    assert.match(
      different.stderr,
      /cannot merge .*load-w\.json with .*load-a\.json: the plans differ in load generators: undici in .*load-a\.json, wrk in .*load-w\.json/,
    );
    const alone = await iobench(['merge', a, '--out', out]);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /merge needs at least two results files \(got 1\)/);
    const corrupt = join(dir, 'corrupt.json');
    await writeFile(corrupt, 'not json');
    const c = await iobench(['merge', a, corrupt, '--out', out]);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /results file .*corrupt\.json is not valid JSON/);
  });

  test('a results file whose points have fields of the wrong type names the file, the point and the field (exit 2)', async () => {
    const dir = await tempDir();
    const a = await hostFile(dir, 'load-a', 100, 300);
    const b = await hostFile(dir, 'load-b', 100, 300);
    const results = JSON.parse(await readFile(b, 'utf8')) as ResultsFile;
    (results.points[1] as unknown as Record<string, unknown>).requests = '200';
    (results as unknown as Record<string, unknown>).env = undefined;
    await writeFile(b, JSON.stringify(results));
    const r = await iobench(['merge', a, b, '--out', join(dir, 'merged')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /load-b\.json is not a valid iobench results file/);
    assert.match(r.stderr, /env: expected object, received undefined/);
    assert.match(r.stderr, /point target\/undici\/c64\/r0: points\[1\]\.requests: expected number, received string/);
  });

  test('--out is refused when it holds files (unless --force) or cannot be written (exit 2)', async () => {
    const dir = await tempDir();
    const a = await hostFile(dir, 'load-a', 100, 300);
    const b = await hostFile(dir, 'load-b', 100, 300);
    const out = join(dir, 'merged');
    await mkdir(out);
    await writeFile(join(out, 'results.json'), 'an earlier merge');
    const refused = await iobench(['merge', a, b, '--out', out]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--out .*merged already holds files \(results\.json\)/);
    assert.equal(await readFile(join(out, 'results.json'), 'utf8'), 'an earlier merge');
    const forced = await iobench(['merge', a, b, '--out', out, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal((JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile).points.length, 2);
    const proc = await iobench(['merge', a, b, '--out', '/proc/iobench-merged'], { timeoutMs: 15_000 });
    assert.equal(proc.code, 2, `exit code ${proc.code} (null: killed after hanging): ${proc.stderr}`);
    assert.match(proc.stderr, /--out \/proc\/iobench-merged: cannot create directory/);
  });
});
