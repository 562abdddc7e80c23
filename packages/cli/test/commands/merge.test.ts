// test-lane: unit (merges results files; nothing is run).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { histogramCount, type PointResult, type ResultsFile } from '@iobench/core';
import { makeCapacityResults, makePoint, makeResults } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

/** What one load host measured for one point: `requests` requests at `latencyUs` each, its 1 s phase from `measuredAt`. */
function point(connections: number, requests: number, latencyUs: number, measuredAt: string): PointResult {
  return makePoint({
    measuredStart: { at: measuredAt },
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
  // When each point's measured phase started: the same instants on every host unless a test says otherwise.
  measuredAt = ['2026-01-01T00:00:10.000Z', '2026-01-01T00:00:12.100Z'],
): Promise<string> {
  const results = makeResults(
    [point(8, requests, latencyUs, measuredAt[0]!), point(64, requests * 2, latencyUs, measuredAt[1]!)],
    {
      createdAt: `2026-01-01T00:00:0${requests % 10}.000Z`,
      env: { hostname },
      plan: { servers: [], target: 'http://127.0.0.1:8080/', loads: [load] },
    },
  );
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

  test("each generator's CPU split, switches and syscalls add up per request of every host; the report shows them", async () => {
    const dir = await tempDir();
    // What each host's generator measured at 8 connections (load-a 901 requests, load-b 99).
    const costs = {
      'load-a': {
        user: 400,
        system: 600,
        vol: 450,
        invol: 50,
        syscalls: { recv: 901, send: 901, epoll_wait: 100 },
        ioEngine: 'epoll',
      },
      // io_uring forbidden in load-a's container, say: each host's engine is named in the merge.
      'load-b': { user: 100, system: 900, vol: 50, invol: 49, syscalls: { recv: 99, send: 99 }, ioEngine: 'io_uring' },
    };
    const files: string[] = [];
    for (const [hostname, c] of Object.entries(costs)) {
      const path = await hostFile(dir, hostname, hostname === 'load-a' ? 901 : 99, 300);
      const results = JSON.parse(await readFile(path, 'utf8')) as ResultsFile;
      const p = results.points[0]!;
      p.loadStats = {
        ...p.loadStats,
        userCpuUs: c.user,
        systemCpuUs: c.system,
        userCpuUsPerRequest: c.user / p.requests,
        systemCpuUsPerRequest: c.system / p.requests,
        voluntaryCtxSwitches: c.vol,
        involuntaryCtxSwitches: c.invol,
        syscalls: c.syscalls,
        ioEngine: c.ioEngine,
      };
      p.interruptTime = {
        attribution: 'machine',
        softirqUs: 2000,
        irqUs: 0,
        softirqUsPerRequest: 2000 / p.requests,
        irqUsPerRequest: 0,
        perCpu: [{ cpu: 0, softirqUs: 2000, irqUs: 0 }],
      };
      await writeFile(path, JSON.stringify(results));
      files.push(path);
    }
    const out = join(dir, 'merged');
    const r = await iobench(['merge', ...files, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const merged = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    const c8 = merged.points[0]!;
    assert.equal(c8.requests, 1000);
    assert.deepEqual(
      {
        userCpuUs: c8.loadStats.userCpuUs,
        systemCpuUs: c8.loadStats.systemCpuUs,
        userCpuUsPerRequest: c8.loadStats.userCpuUsPerRequest,
        systemCpuUsPerRequest: c8.loadStats.systemCpuUsPerRequest,
        voluntaryCtxSwitchesPerRequest: c8.loadStats.voluntaryCtxSwitchesPerRequest,
        involuntaryCtxSwitchesPerRequest: c8.loadStats.involuntaryCtxSwitchesPerRequest,
        syscalls: c8.loadStats.syscalls,
        syscallsPerRequest: c8.loadStats.syscallsPerRequest,
      },
      {
        userCpuUs: 500,
        systemCpuUs: 1500,
        userCpuUsPerRequest: 0.5,
        systemCpuUsPerRequest: 1.5,
        voluntaryCtxSwitchesPerRequest: 0.5,
        involuntaryCtxSwitchesPerRequest: 0.099,
        syscalls: { recv: 1000, send: 1000, epoll_wait: 100 },
        syscallsPerRequest: { recv: 1, send: 1, epoll_wait: 0.1 },
      },
    );
    assert.equal(c8.loadStats.ioEngine, 'epoll,io_uring');
    assert.equal(merged.points[1]!.loadStats.ioEngine, undefined, 'no host named an engine for this point');
    assert.equal(c8.interruptTime, undefined, "each host's /proc/stat is its own machine's: not added");
    assert.equal(merged.points[1]!.loadStats.userCpuUs, undefined, 'a point the hosts did not split stays unsplit');

    const report = await iobench(['report', join(out, 'results.json'), '-r', 'markdown', '-q', '-o', join(dir, 'md')]);
    assert.equal(report.code, 0, report.stderr);
    const md = await readFile(join(dir, 'md', 'results.md'), 'utf8');
    assert.match(md, /\*\*Where a request's CPU goes, generator only/);
    assert.match(md, /^\| target \| 8 \| undici \| 0\.50 \| 1\.50 \| 2\.10 \| 0\.60 \| - \|$/m);
  });

  test('runs made one after the other: merge warns that their phases do not overlap, --strict refuses (exit 2)', async (t) => {
    const dir = await tempDir();
    t.after(() => rm(dir, { recursive: true, force: true }));
    const a = await hostFile(dir, 'load-a', 100, 300);
    // load-b ran its points a minute later: its phases never overlap load-a's.
    const later = ['2026-01-01T00:01:10.000Z', '2026-01-01T00:01:12.100Z'];
    const b = await hostFile(dir, 'load-b', 100, 300, 'undici', later);
    const out = join(dir, 'merged');
    const r = await iobench(['merge', a, b, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^warning: target\/undici\/c8\/r0: the runs' measured phases do not overlap \(.*load-a\.json from 2026-01-01T00:00:10\.000Z, .*load-b\.json from 2026-01-01T00:01:10\.000Z\): their req\/s were added as if they had loaded the server together$/m,
    );
    assert.match(r.stderr, /^warning: target\/undici\/c64\/r0: the runs' measured phases do not overlap/m);
    // The connections summed are said, per point: 8 from each host loaded the server with 16.
    assert.match(
      r.stdout,
      /^target\/undici\/c8\/r0: 200 req\/s from 2 files, 200 requests on 16 connections \(8 \+ 8 summed\); .*together for 0% of the longest$/m,
    );
    assert.match(r.stdout, /^target\/undici\/c64\/r0: .* on 128 connections \(64 \+ 64 summed\)/m);
    const merged = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsFile;
    assert.deepEqual(
      merged.points.map((p) => [p.merge?.connections, p.merge?.overlapPct]),
      [
        [16, 0],
        [128, 0],
      ],
    );

    const strictOut = join(dir, 'strict');
    const strict = await iobench(['merge', a, b, '--out', strictOut, '--strict']);
    assert.equal(strict.code, 2, strict.stderr);
    assert.match(
      strict.stderr,
      /refusing to merge \(--strict\): 2 point\(s\) were not measured at the same time by every run/,
    );
    assert.match(strict.stderr, /--start-at/);
    assert.equal(existsSync(strictOut), false, 'nothing is written');

    // Runs that measured together merge under --strict, with no warning.
    const c = await hostFile(dir, 'load-c', 100, 300);
    const together = await iobench(['merge', a, c, '--out', join(dir, 'together'), '--strict']);
    assert.equal(together.code, 0, together.stderr);
    assert.equal(together.stderr, '');
    assert.match(together.stdout, /on 16 connections \(8 \+ 8 summed\); .*together for 100% of the longest/);
  });

  test('separate Poisson runs merge across their seeds; runs given one --seed drew the same arrivals: a warning, --strict refuses (exit 2)', async () => {
    const dir = await tempDir();
    /** A load host's file of `--rate 1000,2000 --arrivals poisson --seed <seed>`. */
    const poissonFile = async (hostname: string, seed: number) => {
      const path = await hostFile(dir, hostname, 100, 300);
      const results = JSON.parse(await readFile(path, 'utf8')) as ResultsFile;
      results.plan = { ...results.plan, arrivals: 'poisson', seed };
      for (const [i, p] of results.points.entries())
        p.params = { ...p.params, rate: 1000 * (i + 1), arrivals: 'poisson', seed };
      await writeFile(path, JSON.stringify(results));
      return path;
    };
    // Runs not given --seed draw random ones.
    const [a, b] = await Promise.all([poissonFile('load-a', 7), poissonFile('load-b', 4_000_000_000)]);
    const r = await iobench(['merge', a, b, '--out', join(dir, 'merged'), '--strict']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const merged = JSON.parse(await readFile(join(dir, 'merged', 'results.json'), 'utf8')) as ResultsFile;
    assert.deepEqual(
      merged.points.map((p) => [p.requests, p.params.seed, p.merge?.parts.map((part) => part.seed)]),
      [
        [200, undefined, [7, 4_000_000_000]],
        [400, undefined, [7, 4_000_000_000]],
      ],
    );
    assert.equal(merged.plan.seed, undefined);

    const c = await poissonFile('load-c', 7);
    const same = await iobench(['merge', a, c, '--out', join(dir, 'same')]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(
      same.stderr,
      /^warning: target\/undici\/c8\/r0: runs drew the same Poisson arrivals \(.*load-a\.json and .*load-c\.json with seed 7\): they sent in step, not as independent users/m,
    );
    const strict = await iobench(['merge', a, c, '--out', join(dir, 'strict'), '--strict']);
    assert.equal(strict.code, 2, strict.stderr);
    assert.match(
      strict.stderr,
      /refusing to merge \(--strict\): 2 point\(s\) add up runs that drew the same Poisson arrivals/,
    );
    assert.match(strict.stderr, /hint: give each load host its own --seed, or none/);
    assert.equal(existsSync(join(dir, 'strict')), false, 'nothing is written');
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

  test('capacity runs are refused, saying why searches do not add up and what to do instead (exit 2)', async () => {
    const dir = await tempDir();
    const files = await Promise.all(
      ['load-a', 'load-b'].map(async (hostname) => {
        const results = makeCapacityResults({ estimates: [1_000], probes: [{ rate: 1_000, pass: true }] });
        results.env.hostname = hostname;
        const path = join(dir, `${hostname}.json`);
        await writeFile(path, JSON.stringify(results));
        return path;
      }),
    );
    const out = join(dir, 'merged');
    const r = await iobench(['merge', ...files, '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /cannot merge .*load-a\.json: it holds capacity searches \(--find-capacity\), and searches do not add up/,
    );
    assert.match(r.stderr, /hint: to load one server from several hosts at once, run set rates on every host together/);
    assert.equal(existsSync(out), false, 'nothing written');
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
