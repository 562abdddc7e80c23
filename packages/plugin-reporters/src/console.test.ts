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
import { consoleReporter, renderResultsTable } from './console.js';

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
      { histogram: false },
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
