import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import {
  createLatencyHistogram,
  emptyErrors,
  encodeHistogram,
  type PointResult,
  RESULTS_SCHEMA_VERSION,
  type ResultsFile,
  summariseHistogram,
} from '@iobench/core';
import { makePoint, makeResults, type PointSpec } from '@iobench/core/testing';
import { consoleReporter, renderDetailsTable, renderResultsTable } from './console.js';

function point(idleConnections: number, rps: number, generatorBound = false): PointResult {
  const h = createLatencyHistogram();
  h.recordValueWithCount(200, 100);
  return {
    id: `poll/wrk/c16/idle${idleConnections}/r0`,
    server: 'poll',
    load: 'wrk',
    target: 'http://127.0.0.1:1/',
    params: {
      connections: 16,
      durationMs: 1000,
      warmupMs: 0,
      threads: 1,
      pipelining: 1,
      timeoutMs: 5000,
      idleConnections,
    },
    repeat: 0,
    serverOptions: {},
    loadOptions: {},
    status: 'ok',
    requests: 100,
    bytes: 1000,
    durationMs: 1000,
    rps,
    errors: emptyErrors(),
    latencyUs: summariseHistogram(encodeHistogram(h)),
    loadStats: { cpuUs: 0, cpuUsPerRequest: 0, generatorBound },
    startedAt: '2026-01-01T00:00:00.000Z',
  };
}

function results(points: PointResult[]): ResultsFile {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    createdAt: '2026-01-01T00:00:00.000Z',
    status: 'complete',
    env: {} as ResultsFile['env'],
    plan: {
      servers: ['poll'],
      loads: ['wrk'],
      connections: [16],
      durationMs: 1000,
      warmupMs: 0,
      repeat: 1,
      threads: [1],
      pipelining: 1,
      timeoutMs: 5000,
      idleConnections: [0, 8000],
      sweep: [{ key: 'idleConnections', values: [0, 8000] }],
      serverOptions: {},
      loadOptions: {},
      pointCount: points.length,
    },
    points,
  };
}

test('the table has a column for each swept parameter, so rows never differ only in their numbers', () => {
  const [header, , ...rows] = renderResultsTable(results([point(0, 60396), point(8000, 2178)])).split('\n');
  assert.match(header!, /^server\s+load\s+conns\s+idle\s+req\/s\s+p50/);
  assert.match(rows[0]!, /^poll\s+wrk\s+16\s+0\s+60,396\s/);
  assert.match(rows[1]!, /^poll\s+wrk\s+16\s+8000\s+2,178\s/);
});

test('the flags column and the generator-bound note appear only when some point is flagged', async () => {
  const print = async (r: ResultsFile) => {
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (chunk) => (text += String(chunk)));
    const hooks = await consoleReporter.create(
      { log: () => {}, signal: new AbortController().signal, stdout, outDir: '.', resultsDir: '.', json: false },
      { repeatRows: false, histogram: false },
    );
    await hooks.onRunEnd?.(r);
    return text;
  };
  const plain = await print(results([point(0, 60396), point(8000, 2178)]));
  assert.doesNotMatch(plain, /flags|generator-bound/);
  const bound = await print(results([point(0, 60396, true), point(8000, 2178)]));
  assert.match(bound, /\s+flags\n/);
  assert.match(bound, /^poll .* generator-bound$/m);
  assert.match(bound, /^generator-bound: the load generator, not the server, was saturated/m);
});

/** Three repeats at 8 connections and three at 64, with the given req/s, as `--repeat 3` writes them (repeats innermost). */
function repeated(rps8: number[], rps64: number[], extra: (c: number, r: number) => PointSpec = () => ({})) {
  const points = [8, 64].flatMap((connections) =>
    (connections === 8 ? rps8 : rps64).map((rps, repeat) =>
      makePoint({
        rps,
        repeat,
        params: { connections },
        latencyUs: [[100 * (repeat + 1), 100]],
        ...extra(connections, repeat),
      }),
    ),
  );
  return makeResults(points, { plan: { repeat: 3 } });
}

test('--repeat N: one row per point with the median, the req/s range and the repeat count', () => {
  const table = renderResultsTable(repeated([52_100, 36_000, 62_000], [20_000, 20_500, 19_800]));
  const [header, , ...rows] = table.split('\n');
  assert.match(header!, /^server\s+load\s+conns\s+repeats\s+req\/s\s+p50/);
  assert.equal(rows.length, 2, table);
  // The issue's case: 36,000–62,000 is half the median, far past the 10% bound, so it is marked.
  assert.match(rows[0]!, /^epoll\s+undici\s+8\s+3\s+52,100 \(36,000–62,000\)!\s+200µs\s/);
  assert.match(
    rows[1]!,
    /^epoll\s+undici\s+64\s+3\s+20,000 \(19,800–20,500\)\s+200µs\s/,
    'a tight range is not marked',
  );
});

test('a failed repeat is left out of the median and counted in the repeats column', () => {
  const table = renderResultsTable(
    repeated([1000, 1100, 5], [1000, 1000, 1000], (c, r) =>
      c === 8 && r === 2
        ? { status: 'failed', error: { code: 'IOBENCH_SERVER_EXITED', message: 'server exited' } }
        : {},
    ),
  );
  assert.match(table, /^epoll\s+undici\s+8\s+2\/3\s+1,050 \(1,000–1,100\)\s/m);
});

test('repeatRows: a row per repeat with its index, and the wide spread still warned about', async () => {
  const r = repeated([52_100, 36_000, 62_000], [20_000, 20_500, 19_800]);
  const table = renderResultsTable(r, { repeatRows: true });
  const [header, , ...rows] = table.split('\n');
  assert.match(header!, /^server\s+load\s+conns\s+repeat\s+req\/s\s/);
  assert.deepEqual(
    rows.map((row) => row.split(/\s{2,}/).slice(2, 5)),
    [
      ['8', 'r0', '52,100'],
      ['8', 'r1', '36,000'],
      ['8', 'r2', '62,000'],
      ['64', 'r0', '20,000'],
      ['64', 'r1', '20,500'],
      ['64', 'r2', '19,800'],
    ],
  );
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk) => (text += String(chunk)));
  const hooks = await consoleReporter.create(
    { log: () => {}, signal: new AbortController().signal, stdout, outDir: '.', resultsDir: '.', json: false },
    { repeatRows: true, histogram: false },
  );
  await hooks.onRunEnd?.(r);
  assert.match(
    text,
    /^warning: epoll\/undici\/c8: the 3 repeats' req\/s spread 36,000–62,000, 50% of the median \(more than 10%\)/m,
  );
  assert.doesNotMatch(text, /epoll\/undici\/c64: the 3 repeats/);
});

test('the details table groups repeats as the main table does: medians, status codes summed', () => {
  const r = repeated([52_100, 36_000, 62_000], [20_000, 20_500, 19_800], (_c, repeat) => ({
    statusCodes: { '200': 90, '404': 10 * (repeat + 1) },
  }));
  const grouped = renderDetailsTable(r)!.split('\n').slice(2);
  assert.equal(grouped.length, 2, grouped.join('\n'));
  // p75 is the median of the repeats' (100, 200, 300 µs); the codes are every repeat's.
  assert.match(grouped[0]!, /^epoll\/undici\/c8\s+200µs\s.*\s200×270, 404×60$/);
  const each = renderDetailsTable(r, { repeatRows: true })!.split('\n').slice(2);
  assert.equal(each.length, 6);
  assert.match(each[0]!, /^epoll\/undici\/c8\/r0\s+100µs\s.*\s200×90, 404×10$/);
});
