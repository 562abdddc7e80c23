/**
 * The rebuilt histogram against wrk's own numbers. wrk is run here by hand, with the plugin's Lua
 * script and `--latency`, so its printed percentiles can be read next to the report the plugin uses.
 */

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { decodeHistogram, requestBytes } from '@iobench/core';
import { requireTool } from '@iobench/core/testing';
import { buildLuaScript, REPORT_PATH_ENV } from '../src/lua-script.js';
import { applyWrkCorrection, type LatencyBucket, wrkPercentile } from '../src/wrk-correction.js';
import { measureFromReport, parseWrkReport } from '../src/wrk-report.js';

const execFileAsync = promisify(execFile);
const CONNECTIONS = 8;

/** A server with a slow tail (every 40th request waits 3-12 ms), so wrk's correction has work to do. */
async function tailServer(): Promise<{ url: string; close(): Promise<void> }> {
  let n = 0;
  const server = http.createServer((_req, res) => {
    const delayMs = ++n % 40 === 0 ? 3 + (n % 10) : 0;
    const reply = () => res.end('Hello, world!');
    if (delayMs === 0) reply();
    else setTimeout(reply, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** wrk's printed `--latency` lines ("     99%    5.48ms") as microseconds by percentile. */
function parsePrintedPercentiles(stdout: string): Map<number, number> {
  const scale: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000, m: 60_000_000 };
  const out = new Map<number, number>();
  for (const match of stdout.matchAll(/^\s+(\d+(?:\.\d+)?)%\s+([\d.]+)(us|ms|s|m)\s*$/gm)) {
    out.set(Number(match[1]), Number(match[2]) * scale[match[3]!]!);
  }
  return out;
}

function valueAtRank(buckets: readonly LatencyBucket[], rank: number): number {
  let cumulative = 0;
  for (const [value, count] of buckets) {
    cumulative += count;
    if (cumulative >= rank) return value;
  }
  return buckets.at(-1)?.[0] ?? 0;
}

/**
 * The values at percentile p under wrk's rank (round(p% * n + 0.5), computed in long double) and
 * HDR's (ceil(p% * n)): they differ by one when p% * n is whole or within rounding of it.
 */
function valuesAtPercentile(buckets: readonly LatencyBucket[], p: number): number[] {
  const total = buckets.reduce((s, [, c]) => s + c, 0);
  const x = (p / 100) * total;
  const ranks = new Set([Math.max(1, Math.ceil(x)), Math.floor(x) + 1, Math.max(1, Math.floor(x))]);
  return [...ranks].map((rank) => valueAtRank(buckets, rank));
}

/** HDR keeps 3 significant digits: a value is off by at most one part in 1000 (plus rounding). */
function within3Digits(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= expected / 1000 + 1;
}

/** Half of the last digit wrk prints: two decimals of us, ms or s; it moves up a unit at 0.85x1000. */
function printTolerance(us: number): number {
  if (us < 850) return 0.005;
  if (us < 850_000) return 5;
  return 5000;
}

for (const bucketReader of ['auto', 'lua'] as const) {
  test(
    `rebuilt histogram matches wrk's own distribution, percentiles and printed output (buckets read via ${bucketReader})`,
    {
      skip: requireTool('wrk'),
    },
    () => checkAgainstWrk(bucketReader),
  );
}

async function checkAgainstWrk(bucketReader: 'auto' | 'lua'): Promise<void> {
  const server = await tailServer();
  const dir = await mkdtemp(join(tmpdir(), 'iobench-wrk-test-'));
  try {
    const scriptPath = join(dir, 'script.lua');
    const reportPath = join(dir, 'report.json');
    await writeFile(
      scriptPath,
      buildLuaScript({
        requests: [requestBytes({ method: 'GET', path: '/', headers: [] }, new URL(server.url).host)],
        bucketReader,
      }),
    );
    const { stdout } = await execFileAsync(
      'wrk',
      ['-t2', `-c${CONNECTIONS}`, '-d1s', '--latency', '-s', scriptPath, server.url],
      { env: { ...process.env, [REPORT_PATH_ENV]: reportPath } },
    );
    const report = parseWrkReport(await readFile(reportPath, 'utf8'));
    assert.equal(report.bucketReader, bucketReader === 'auto' ? 'ffi' : 'lua', "Debian's wrk links LuaJIT");
    const measurement = measureFromReport(report, CONNECTIONS);

    const reported: LatencyBucket[] = [];
    for (let i = 0; i < report.buckets.length; i += 2) reported.push([report.buckets[i]!, report.buckets[i + 1]!]);
    const reportedTotal = reported.reduce((s, [, c]) => s + c, 0);

    // Undoing wrk's correction leaves exactly one sample per completed request...
    assert.ok(measurement.correctionIntervalUs > 0);
    assert.equal(measurement.requests, report.requests);
    assert.ok(reportedTotal > report.requests, `wrk added ${reportedTotal - report.requests} synthetic samples`);
    // ...and re-applying it gives back wrk's distribution bucket for bucket.
    assert.deepEqual(applyWrkCorrection(measurement.measuredBuckets, measurement.correctionIntervalUs), reported);

    // wrk's own percentiles (Lua and printed) are those of its corrected distribution.
    const printed = parsePrintedPercentiles(stdout);
    for (const [key, p] of [
      ['p50', 50],
      ['p90', 90],
      ['p99', 99],
    ] as const) {
      const lua = report.percentiles[key];
      assert.ok(
        valuesAtPercentile(reported, p).includes(lua),
        `${key}: Lua ${lua} vs recomputed ${wrkPercentile(reported, p)}`,
      );
      const shown = printed.get(p);
      assert.ok(shown !== undefined, `wrk printed no ${p}% line:\n${stdout}`);
      assert.ok(Math.abs(shown - lua) <= printTolerance(lua) + 1e-9, `${p}%: printed ${shown} vs Lua ${lua}`);
    }

    // The HDR histogram holds the measured distribution: its percentiles are wrk's measured ones.
    const histogram = decodeHistogram(measurement.latency);
    assert.equal(histogram.totalCount, report.requests);
    for (const p of [50, 90, 99, 99.9]) {
      const hdr = histogram.getValueAtPercentile(p);
      const exact = valuesAtPercentile(measurement.measuredBuckets, p);
      assert.ok(
        exact.some((v) => within3Digits(hdr, v)),
        `p${p}: HDR ${hdr} vs measured ${exact.join(' or ')}`,
      );
    }
    assert.ok(within3Digits(histogram.maxValue, measurement.measuredBuckets.at(-1)![0]));
  } finally {
    await rm(dir, { recursive: true, force: true });
    await server.close();
  }
}
