// Status codes you can read and the numbers people expect: issue 19, items 2 and 3.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ResultsFile } from '@iobench/core';
import { requireTool } from '@iobench/core/testing';
import { iobench, tempDir } from '../helpers.js';

/** A target on loopback: `/` answers 200, any other path 404; it counts what it served. */
class Target {
  served = 0;
  private readonly server = http.createServer((req, res) => {
    this.served++;
    res.statusCode = req.url === '/' ? 200 : 404;
    res.end(req.url === '/' ? 'Hello, world!' : 'not here');
  });

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await new Promise((r) => this.server.once('listening', r));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const SHORT = ['--connections', '2', '--duration', '300ms', '--warmup', '0'];
/** wrk measures whole seconds. */
const WRK_SHORT = ['--connections', '2', '--duration', '1s', '--warmup', '0'];

async function results(dir: string): Promise<ResultsFile> {
  return JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as ResultsFile;
}

describe('iobench run: status codes, percentiles, transfer, distribution, Ctrl-C', () => {
  const target = new Target();
  before(() => target.start());
  after(() => target.stop());

  for (const load of ['native', 'undici']) {
    test(`a 404 target under ${load}: status codes in the console and results, a warning, exit 0`, async () => {
      const out = await tempDir();
      const r = await iobench(['run', '--target', target.url('/missing'), '--load', load, ...SHORT, '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      const [point] = (await results(out)).points;
      assert.ok(point && point.requests > 0, 'it measured');
      assert.deepEqual(point.statusCodes, { '404': point.requests }, 'every response counted under its code');
      assert.equal(point.errors.status, point.requests);
      assert.match(r.stdout, /\s+flags\n/);
      assert.match(r.stdout, /^target\s+\S+\s+2\s.*non-2xx$/m, 'the row is flagged');
      assert.match(r.stdout, new RegExp(`target/${load}/c2/r0: status 404×[\\d,]+; errors [\\d,]+ status\\.`));
      assert.match(r.stdout, /WARNING: 100% of responses were not 2xx \(404×[\d,]+\)/);
    });
  }

  test('status2xx>99% fails a 404 run with exit 1; --json carries the status codes and the check', async () => {
    const r = await iobench([
      'run',
      '--target',
      target.url('/missing'),
      ...SHORT,
      '--threshold',
      'status2xx>99%',
      '--json',
      '--out',
      await tempDir(),
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /target\/native\/c2\/r0: status2xx>99%, was 0%/);
    const [point] = (JSON.parse(r.stdout) as ResultsFile).points;
    assert.deepEqual(Object.keys(point?.statusCodes ?? {}), ['404']);
    assert.deepEqual(
      point?.thresholds?.map((c) => [c.metric, c.value, c.pass]),
      [['status2xx', 0, false]],
    );
  });

  test('p75 and p95, the transfer rate and connect time: console, json, csv and markdown', async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--target',
      target.url('/'),
      ...SHORT,
      '--reporter',
      'console,csv,markdown',
      '--threshold',
      'p95<10s,status2xx>99%',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [point] = (await results(out)).points;
    assert.ok(point);
    const { p50, p75, p90, p95, p99 } = point.latencyUs;
    assert.ok(p50 <= p75 && p75 <= p90 && p90 <= p95 && p95 <= p99, JSON.stringify(point.latencyUs));
    assert.ok(point.bytesPerSec && point.bytesPerSec > 0, 'bytes per second recorded');
    assert.deepEqual(point.statusCodes, { '200': point.requests });
    assert.deepEqual(
      point.thresholds?.map((c) => [c.metric, c.pass]),
      [
        ['p95', true],
        ['status2xx', true],
      ],
    );
    // The row: p95 beside p50 and p99; the details: p75, the transfer rate, connect time, the codes.
    assert.match(r.stdout, /^server\s+load\s+conns\s+req\/s\s+p50\s+p95\s+p99\s/m);
    const details = /^point\s+p75\s+transfer\s+connect p50\s+connect max\s+status\n.*\n(.*)$/m.exec(r.stdout);
    assert.ok(details, r.stdout);
    assert.match(
      details[1]!,
      /^target\/native\/c2\/r0\s+[\d.]+(µs|ms)\s+[\d.]+(B|KiB|MiB)\/s\s+[\d.]+(µs|ms)\s+[\d.]+(µs|ms)\s+200×[\d,]+$/,
    );
    assert.doesNotMatch(r.stdout, /WARNING|non-2xx/, 'all 2xx: no warning');

    const [header, row] = (await readFile(join(out, 'results.csv'), 'utf8')).split('\r\n');
    const csv = Object.fromEntries(header!.split(',').map((name, i) => [name, row!.split(',')[i]]));
    assert.equal(Number(csv.p75Us), p75);
    assert.equal(Number(csv.p95Us), p95);
    assert.equal(Number(csv['status.200']), point.requests);
    assert.ok(Number(csv.bytesPerSec) > 0);

    const md = await readFile(join(out, 'results.md'), 'utf8');
    assert.match(md, /\| server \| req\/s \| transfer \| p50 \| p75 \| p95 \| p99 \| CPU µs\/req \|/);
    assert.match(
      md,
      /^\| target \| [\d,]+(?: †)? \| [\d.]+(B|KiB|MiB)\/s \|/m,
      'the transfer rate, as the console shows it',
    );
  });

  test('--histogram draws the latency distribution of each point', async () => {
    const r = await iobench(['run', '--target', target.url('/'), ...SHORT, '--histogram', '--out', await tempDir()]);
    assert.equal(r.code, 0, r.stderr);
    const block = /^target\/native\/c2\/r0 latency distribution \(([\d,]+) requests\):\n((?: {2}≤ .*\n)+)/m.exec(
      r.stdout,
    );
    assert.ok(block, r.stdout);
    const lines = block[2]!.trimEnd().split('\n');
    assert.ok(lines.length >= 1 && lines.length <= 10, `${lines.length} buckets`);
    const counted = lines.reduce((n, l) => n + Number(/≤\s+\S+\s+([\d,]+)/.exec(l)![1]!.replaceAll(',', '')), 0);
    assert.equal(counted, Number(block[1]!.replaceAll(',', '')), 'the buckets hold every request');
    assert.ok(
      lines.some((l) => l.endsWith('■'.repeat(40))),
      'the fullest bucket has the longest bar',
    );
    const wide = r.stdout.split('\n').filter((line) => line.length > 100 && !line.startsWith('results: '));
    assert.deepEqual(wide, [], 'the default output fits a terminal');
  });

  test('wrk with statusCodes=true counts responses by code', { skip: requireTool('wrk') }, async () => {
    const out = await tempDir();
    const r = await iobench([
      'run',
      '--target',
      target.url('/missing'),
      '--load',
      'wrk',
      '--load-opt',
      'statusCodes=true',
      ...WRK_SHORT,
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [point] = (await results(out)).points;
    assert.ok(point && point.requests > 0);
    assert.deepEqual(Object.keys(point.statusCodes ?? {}), ['404']);
    assert.equal(point.statusCodes?.['404'], point.loadExtra?.wrkCompleted, 'every response wrk completed');
    assert.match(r.stdout, /target\/wrk\/c2\/r0: status 404×[\d,]+; errors [\d,]+ status\./);
  });

  test('wrk without statusCodes: no codes, the status errors still warn', { skip: requireTool('wrk') }, async () => {
    const out = await tempDir();
    const r = await iobench(['run', '--target', target.url('/missing'), '--load', 'wrk', ...WRK_SHORT, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const [point] = (await results(out)).points;
    assert.equal(point?.statusCodes, undefined);
    assert.match(r.stdout, /not counted/);
    assert.match(r.stdout, /WARNING: 100% of responses had an error status/);
  });

  test('Ctrl-C during the measured phase prints the point as a partial row and keeps it in results', async () => {
    const out = await tempDir();
    const run = iobench([
      'run',
      '--target',
      target.url('/'),
      '--connections',
      '2',
      '--duration',
      '30s',
      '--warmup',
      '0',
      '--out',
      out,
    ]);
    // The measured phase has begun once the target serves.
    const served = target.served;
    for (let i = 0; i < 300 && target.served < served + 200; i++) await new Promise((r) => setTimeout(r, 50));
    run.child.kill('SIGINT');
    const r = await run;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stdout, /target\/native\/c2\/r0: [\d,]+ req\/s, p99 \S+ \(interrupted after \S+ of 30s: partial\)/);
    assert.match(r.stdout, /^target\s+native\s+2\s+[\d,]+\s.*\spartial\b/m, 'a row with its figures, flagged partial');
    assert.match(r.stdout, /^partial: the run was interrupted during this point/m);
    assert.match(r.stderr, /run interrupted; 0 finished point\(s\) and 1 partial one\(s\) kept in /);
    const saved = await results(out);
    assert.equal(saved.status, 'interrupted');
    const [point] = saved.points;
    assert.equal(point?.status, 'interrupted');
    assert.equal(point?.partial, true);
    assert.ok(
      point.requests >= 200 && point.durationMs < 30_000,
      `${point.requests} requests in ${point.durationMs} ms`,
    );
  });
});
